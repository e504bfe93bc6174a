import { defineEntity, p } from '@mikro-orm/core';

/**
 * One row per running graphile-worker pool, touched every few seconds (database time). A pool
 * that stops touching its row is dead, and the fence releases the jobs it had locked
 * (see jobs/fence.ts): graphile-worker alone would hold them for 4 hours.
 */
export const WorkerHeartbeatSchema = defineEntity({
  name: 'WorkerHeartbeat',
  tableName: 'worker_heartbeats',
  properties: {
    /** graphile-worker's pool id: what it writes into `locked_by`. */
    poolId: p.string().length(64).primary(),
    /** Host and pid, for operators. */
    process: p.string().length(200),
    startedAt: p.datetime(),
    seenAt: p.datetime(),
  },
});

export class WorkerHeartbeat extends WorkerHeartbeatSchema.class {}
WorkerHeartbeatSchema.setClass(WorkerHeartbeat);
