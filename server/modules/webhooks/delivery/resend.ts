import { query, run } from '../../../db/sql.ts';
import type { DeliveryContext } from './deliver-destination.ts';
import { insertAttempts, loadDestination } from './delivery-store.ts';
import { isSuccess } from './retry-schedule.ts';
import { type Attempted, credentialsOf, sendAttempt } from './send-attempt.ts';

/**
 * A manual resend: one attempt now, logged as `manual`. It never touches the retry schedule;
 * a success completes the delivery and clears the destination's failure streak. Null when
 * the destination is gone, disabled or has no URL: nothing was sent.
 */
export async function resendNow(ctx: DeliveryContext, deliveryId: string): Promise<Attempted | null> {
  const [delivery] = await query<{
    destinationId: string | null;
    eventId: string;
    eventType: string;
    body: string;
  }>(
    ctx.em,
    `select d.destination_id as "destinationId", e.id as "eventId", e.type as "eventType", e.body
       from webhook_deliveries d join webhook_events e on e.id = d.event_id where d.id = ?`,
    [deliveryId],
  );
  const dest = delivery?.destinationId ? await loadDestination(ctx.em, delivery.destinationId) : null;
  if (!delivery || !dest?.url || dest.disabledAt) return null;
  const startedAt = ctx.clock.now();
  const attempted = await sendAttempt(
    ctx.engine.sender,
    credentialsOf(ctx.secretBox, { ...dest, url: dest.url }, startedAt),
    delivery,
    startedAt,
  );
  const ok = isSuccess(attempted.result);
  ctx.engine.observer.attempted(ok ? 'succeeded' : 'failed', delivery.eventId, 'manual');
  const now = ctx.clock.now();
  await ctx.em.transactional(async (tx) => {
    await insertAttempts(tx, [
      {
        id: attempted.attemptId,
        deliveryId,
        trigger: 'manual',
        startedAt,
        durationMs: attempted.result.durationMs,
        requestHeaders: attempted.headers,
        responseStatus: attempted.result.status,
        responseBody: attempted.result.body,
        error: attempted.result.error,
      },
    ]);
    await run(
      tx,
      `update webhook_deliveries set attempt_count = attempt_count + 1, last_attempt_at = ?, url = ?, updated_at = ?,
         status = case when ? then 'succeeded' else status end,
         succeeded_at = case when ? then ?::timestamptz else succeeded_at end,
         next_attempt_at = case when ? then null else next_attempt_at end
       where id = ?`,
      [startedAt, attempted.url, now, ok, ok, now, ok, deliveryId],
    );
    if (ok) {
      await run(
        tx,
        `update webhook_destinations set failing_since = null, consecutive_failures = 0, circuit_open_until = null,
           updated_at = ? where id = ?`,
        [now, dest.id],
      );
    }
  });
  return attempted;
}
