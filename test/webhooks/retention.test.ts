import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { WebhookAttempt } from '../../server/modules/webhooks/webhook-attempt.entity.ts';
import { WebhookDelivery } from '../../server/modules/webhooks/webhook-delivery.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { PRUNE_BATCH } from '../../server/modules/webhooks/webhook-retention.service.ts';
import { enqueue } from '../support/enqueue.ts';
import { partnerFactory, setWebhookUrl, webhookAttemptFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordPing } from '../support/webhooks.ts';

const hub = useTestHub({ EVENT_RETENTION_DAYS: '2' });

describe('retention', () => {
  it('prunes events past EVENT_RETENTION_DAYS with their deliveries and attempts, in batches, and keeps what is pending', async () => {
    // The receiver keeps failing, so a delivery stays pending (with its retries) while pruning runs.
    const receiver = (await WebhookReceiver.start()).otherwiseRespond({ status: 500 });
    const { partner } = await partnerFactory(hub.em(), hub.deps);
    await setWebhookUrl(hub.em(), partner, `${receiver.url}/hooks`);
    const old = await recordPing(hub.em(), hub.clock, partner, 'old');
    const stillPending = await recordPing(hub.em(), hub.clock, partner, 'old but pending');
    const attempt = await webhookAttemptFactory(
      hub.em(),
      await hub.em().findOneOrFail(WebhookDelivery, old.deliveries[0]!.id),
    );
    // More old events than one batch holds, written straight to the table.
    await query(
      hub.em(),
      `insert into webhook_events (id, partner_id, type, body, created_at)
       select 'evt_bulk' || lpad(g::text, 22, '0'), ?, 'ping', '{}', now() - interval '3 days'
         from generate_series(1, ?) g`,
      [partner.id, PRUNE_BATCH + 10],
    );
    await query(
      hub.em(),
      `update webhook_events set created_at = created_at - interval '3 days' where id in (?, ?)`,
      [old.id, stillPending.id],
    );
    await query(hub.em(), `update webhook_deliveries set status = 'succeeded' where id = ?`, [
      old.deliveries[0]!.id,
    ]);
    const recent = await recordPing(hub.em(), hub.clock, partner, 'recent');

    await hub.em().transactional((tx) => enqueue(tx, hub.clock, 'prune_expired', {}));
    await hub.drainJobs();

    const events = await hub.em().find(WebhookEvent, { partner: partner.id }, { orderBy: { id: 'asc' } });
    expect(events.map((e) => e.id).sort()).toEqual([stillPending.id, recent.id].sort());
    expect(await hub.em().count(WebhookDelivery, { id: old.deliveries[0]!.id })).toBe(0);
    expect(await hub.em().count(WebhookAttempt, { id: attempt.id })).toBe(0);
    expect(await hub.em().count(WebhookDelivery, { id: stillPending.deliveries[0]!.id })).toBe(1);
    await receiver.close();
  });
});
