import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../server/clock.ts';
import { query, withDates } from '../../server/db/sql.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { eventDataOf } from '../../server/modules/webhooks/event-body.ts';
import { type RecordedEvent, recordEvent } from '../../server/modules/webhooks/record-events.ts';
import type { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';

/** Records a `ping` for the partner in a transaction of its own, as a service would. */
export function recordPing(em: EntityManager, clock: Clock, partner: Pick<Partner, 'id'>, message = 'hello') {
  return em.transactional(
    (tx): Promise<RecordedEvent> =>
      recordEvent(tx, clock, { partnerId: partner.id, type: 'ping', data: { message } }),
  );
}

/** An event's `data`, as the API shows it. */
export const dataOf = (event: WebhookEvent) => eventDataOf(event);

/** graphile-worker's delivery jobs for a destination. */
export async function jobsOf(em: EntityManager, destinationId: string) {
  const rows = await query<{ key: string | null; runAt: Date; lockedBy: string | null }>(
    em,
    `select j.key, j.run_at as "runAt", j.locked_by as "lockedBy"
       from graphile_worker.jobs j join graphile_worker._private_jobs p on p.id = j.id
      where j.task_identifier = 'deliver_webhooks' and p.payload->>'destination_id' = ? order by j.run_at`,
    [destinationId],
  );
  return rows.map((r) => withDates(r, ['runAt']));
}
