import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { Clock } from '../../server/clock.ts';
import { query } from '../../server/db/sql.ts';
import { type TaskName, taskCatalog } from '../../server/jobs/catalog.ts';

export interface EnqueueOptions {
  /** Default: now, by the caller's clock (tests move theirs; graphile-worker then follows it). */
  runAt?: Date;
  maxAttempts?: number;
  /** Replaces a pending job with the same key instead of adding another. */
  jobKey?: string;
}

/**
 * Tests run a task on demand with this (the hub itself adds jobs only through the crontab in
 * server/jobs/catalog.ts and, for webhooks, `recordEvents`). Adds the job through the caller's
 * EntityManager, so inside `em.transactional` the job commits or rolls back with the write.
 */
export async function enqueue<N extends TaskName>(
  em: EntityManager,
  clock: Clock,
  task: N,
  payload: z.input<(typeof taskCatalog)[N]['payload']>,
  options: EnqueueOptions = {},
): Promise<string> {
  const parsed = taskCatalog[task].payload.parse(payload);
  const rows = await query<{ id: string }>(
    em,
    `select (graphile_worker.add_job(
        identifier => ?, payload => ?::json, run_at => ?::timestamptz, max_attempts => ?, job_key => ?
      )).id::text as id`,
    [
      task,
      JSON.stringify(parsed),
      (options.runAt ?? clock.now()).toISOString(),
      options.maxAttempts ?? 25,
      options.jobKey ?? null,
    ],
  );
  return rows[0]!.id;
}
