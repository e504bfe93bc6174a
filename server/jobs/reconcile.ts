import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.ts';
import { query } from '../db/sql.ts';
import { scheduleDeliveryJobs } from '../modules/webhooks/delivery/delivery-jobs.ts';

/**
 * Makes sure every destination with pending deliveries has a job, at its earliest due time.
 * Every write that creates pending deliveries adds their job in the same transaction, so this
 * finds nothing new in normal operation; it runs when a worker starts, as the backstop for
 * deliveries that predate their jobs (an upgrade from the lease-based engine) or for a job that
 * graphile-worker failed permanently. Job keys make it idempotent.
 */
export async function reconcileDeliveryJobs(em: EntityManager, clock: Clock): Promise<number> {
  return em.transactional(async (tx) => {
    const rows = await query<{ destinationId: string; nextAt: Date }>(
      tx,
      `select destination_id as "destinationId", min(next_attempt_at) as "nextAt"
         from webhook_deliveries where status = 'pending' and destination_id is not null
        group by destination_id`,
    );
    await scheduleDeliveryJobs(
      tx,
      clock,
      rows.map((r) => ({ destinationId: r.destinationId, kind: 'later', runAt: new Date(r.nextAt) })),
    );
    return rows.length;
  });
}
