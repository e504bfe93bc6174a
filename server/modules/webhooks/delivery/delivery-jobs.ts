import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../clock.ts';
import { query } from '../../../db/sql.ts';

export const DELIVER_TASK = 'deliver_webhooks';

/**
 * graphile-worker retries a delivery job only when the job itself failed (the database went
 * away mid-run); HTTP outcomes are recorded, never thrown. Its backoff tops out at e^10 s.
 */
const MAX_JOB_ATTEMPTS = 25;

/**
 * `now`: new work, deduplicated while waiting (a burst of events is one job); `later`: the
 * destination's next scheduled retry; `check`: a look back after leaving the work to a job
 * that was delivering, in case that one dies (see `deliverDestination`). Whichever runs while
 * another job of the destination is delivering leaves the work to it (see `claimRunner`), so a
 * destination never takes more than one worker slot.
 */
export type DeliveryJobKind = 'now' | 'later' | 'check';

export const deliveryJobKey = (destinationId: string, kind: DeliveryJobKind) =>
  kind === 'now' ? `deliver:${destinationId}` : `deliver:${destinationId}:${kind}`;

/**
 * A `now` job is dated a second back, so a worker whose clock runs a little behind the
 * recording process's still finds it due at once; the others run at `runAt`.
 */
export const NOW_JOB_BACKDATE_MS = 1000;

export type DeliveryJob = { destinationId: string } & (
  | { kind: 'now' }
  | { kind: 'later' | 'check'; runAt: Date }
);

/** graphile-worker `job_spec`s for the jobs, as `add_jobs` takes them. */
export function deliveryJobSpecs(clock: Clock, jobs: DeliveryJob[]) {
  const now = clock.now().getTime() - NOW_JOB_BACKDATE_MS;
  return jobs.map((j) => ({
    identifier: DELIVER_TASK,
    payload: { destination_id: j.destinationId },
    run_at: new Date(j.kind === 'now' ? now : j.runAt.getTime()).toISOString(),
    max_attempts: MAX_JOB_ATTEMPTS,
    job_key: deliveryJobKey(j.destinationId, j.kind),
  }));
}

/**
 * Adds the jobs in the caller's transaction, in one statement: they exist exactly when the
 * deliveries they will send do.
 */
export async function scheduleDeliveryJobs(
  tx: EntityManager,
  clock: Clock,
  jobs: DeliveryJob[],
): Promise<void> {
  if (jobs.length === 0) return;
  await query(
    tx,
    `select 1 from graphile_worker.add_jobs(array(
       select r from json_populate_recordset(null::graphile_worker.job_spec, ?::json) r
     ))`,
    [JSON.stringify(deliveryJobSpecs(clock, jobs))],
  );
}

/**
 * The advisory lock between recording work for a destination (shared) and its runner giving the
 * role up (exclusive), as SQL over a column `id`.
 */
export const RUNNER_LOCK = `hashtextextended('webhook-runner:' || id, 0)`;
