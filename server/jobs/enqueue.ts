import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import { type TaskName, taskCatalog } from './catalog.ts';

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** Replaces a pending job with the same key instead of adding another. */
  jobKey?: string;
}

/**
 * Adds a job through the caller's EntityManager, so inside `em.transactional` the job
 * commits or rolls back with the domain write: a rolled-back write never runs a job.
 */
export async function enqueue<N extends TaskName>(
  em: EntityManager,
  task: N,
  payload: z.input<(typeof taskCatalog)[N]['payload']>,
  options: EnqueueOptions = {},
): Promise<string> {
  const parsed = taskCatalog[task].payload.parse(payload);
  const rows = await em.execute<{ id: string }[]>(
    `select (graphile_worker.add_job(
        identifier => ?, payload => ?::json, run_at => ?::timestamptz, max_attempts => ?, job_key => ?
      )).id::text as id`,
    [
      task,
      JSON.stringify(parsed),
      options.runAt?.toISOString() ?? null,
      options.maxAttempts ?? 25,
      options.jobKey ?? null,
    ],
  );
  return rows[0]!.id;
}
