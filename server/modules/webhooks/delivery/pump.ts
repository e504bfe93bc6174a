import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../clock.ts';

export const DELIVER_TASK = 'deliver_webhooks';

export interface PumpOptions {
  /** Deliveries per graphile-worker job. */
  batchSize: number;
  /** Deliveries claimed per pump cycle. */
  maxPerCycle: number;
  leaseMs: number;
}

export const DEFAULT_PUMP_OPTIONS: PumpOptions = { batchSize: 50, maxPerCycle: 2000, leaseMs: 60_000 };

/**
 * Moves due deliveries from the outbox into graphile-worker jobs, many at a time: one
 * transaction claims them under a lease and adds their jobs with one `add_jobs` call (one
 * NOTIFY per cycle, never one per event). A lease that runs out (its worker died) makes the
 * delivery due again, so it is re-pumped within a minute instead of waiting for
 * graphile-worker's 4 h lock expiry.
 */
export async function pumpDueDeliveries(
  em: EntityManager,
  clock: Clock,
  options: PumpOptions = DEFAULT_PUMP_OPTIONS,
): Promise<number> {
  const now = clock.now();
  const leaseToken = randomUUID();
  return em.transactional(async (tx) => {
    const claimed = await tx.execute<{ id: string }[]>(
      `with due as (
         select id from webhook_deliveries
          where status = 'pending' and next_attempt_at <= ?
            and (lease_expires_at is null or lease_expires_at <= ?)
          order by next_attempt_at
          limit ?
          for update skip locked
       )
       update webhook_deliveries d set lease_expires_at = ?, lease_token = ?
         from due where d.id = due.id
       returning d.id`,
      [now, now, options.maxPerCycle, new Date(now.getTime() + options.leaseMs), leaseToken],
    );
    if (claimed.length === 0) return 0;
    const specs = [];
    for (let i = 0; i < claimed.length; i += options.batchSize) {
      const ids = claimed.slice(i, i + options.batchSize).map((r) => r.id);
      specs.push({
        identifier: DELIVER_TASK,
        payload: { delivery_ids: ids, lease_token: leaseToken },
        max_attempts: 1,
      });
    }
    await tx.execute(
      `select graphile_worker.add_jobs(array(
         select r from json_populate_recordset(null::graphile_worker.job_spec, ?::json) r
       ))`,
      [JSON.stringify(specs)],
    );
    return claimed.length;
  });
}
