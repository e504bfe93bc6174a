import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { newId } from '../../ids.ts';
import { applyAccountUpdate } from './account-updates.ts';
import { changesOf, type MetaChange, messageEventType, phoneNumberIdOf } from './meta-changes.ts';

interface GrantRow {
  channel_id: string;
  phone_number_id: string;
  partner_id: string;
  webhook_url: string | null;
}

export interface RoutedBatch {
  events: number;
  deliveries: number;
}

/**
 * Records a batch of verified Meta payloads and fans their message changes out, in the
 * caller's transaction: the raw payloads, one event per (change, partner holding the channel)
 * and one channel-webhook delivery where that partner configured a URL. Rows are written with
 * one statement per table, whatever the batch size: inbound volume is the hub's hot path.
 */
export async function routeMetaPayloads(
  tx: EntityManager,
  clock: Clock,
  payloads: unknown[],
): Promise<RoutedBatch> {
  const now = clock.now();
  const conn = tx.getConnection();
  await conn.execute(
    `insert into meta_webhooks (id, received_at, payload, routed_at)
     select x.id, ?, x.payload, ? from json_to_recordset(?::json) as x(id text, payload jsonb)`,
    [now, now, JSON.stringify(payloads.map((payload) => ({ id: newId('metaWebhook'), payload })))],
  );

  const changes = payloads.flatMap(changesOf);
  const messages = changes.filter((c) => c.field === 'messages' && phoneNumberIdOf(c));
  for (const change of changes)
    if (change.field === 'account_update') await applyAccountUpdate(tx, clock, change);
  if (messages.length === 0) return { events: 0, deliveries: 0 };

  const phoneIds = [...new Set(messages.map((c) => phoneNumberIdOf(c)!))];
  const grants = await conn.execute<GrantRow[]>(
    `select c.id channel_id, c.phone_number_id, p.partner_id, p.webhook_url
       from channels c join permissions p on p.channel_id = c.id and p.revoked_at is null
      where c.phone_number_id in (?) and c.status <> 'deleted'`,
    [phoneIds],
  );
  const byPhone = Map.groupBy(grants, (g) => g.phone_number_id);
  const events: object[] = [];
  const deliveries: object[] = [];
  for (const change of messages) {
    const phoneNumberId = phoneNumberIdOf(change)!;
    for (const grant of byPhone.get(phoneNumberId) ?? []) {
      const eventId = newId('webhookEvent');
      events.push({
        id: eventId,
        partner_id: grant.partner_id,
        channel_id: grant.channel_id,
        type: messageEventType(change),
        data: eventData(change, phoneNumberId),
      });
      if (grant.webhook_url) {
        deliveries.push({
          id: newId('webhookDelivery'),
          event_id: eventId,
          partner_id: grant.partner_id,
          url: grant.webhook_url,
        });
      }
    }
  }
  if (events.length > 0) {
    await conn.execute(
      `insert into webhook_events (id, partner_id, channel_id, type, data, created_at)
       select x.id, x.partner_id, x.channel_id, x.type, x.data, ?
         from json_to_recordset(?::json) as x(id text, partner_id text, channel_id text, type text, data jsonb)`,
      [now, JSON.stringify(events)],
    );
  }
  if (deliveries.length > 0) {
    await conn.execute(
      `insert into webhook_deliveries (id, event_id, partner_id, destination, url, status, attempt_count,
                                       next_attempt_at, created_at, updated_at)
       select x.id, x.event_id, x.partner_id, 'channel_webhook', x.url, 'pending', 0, ?, ?, ?
         from json_to_recordset(?::json) as x(id text, event_id text, partner_id text, url text)`,
      [now, now, now, JSON.stringify(deliveries)],
    );
  }
  return { events: events.length, deliveries: deliveries.length };
}

function eventData(change: MetaChange, phoneNumberId: string) {
  return { phone_number_id: phoneNumberId, waba_id: change.wabaId, field: change.field, value: change.value };
}

/** Keeps a payload that could not be routed, so nothing Meta sent is lost; an operator can replay it. */
export async function keepUnrouted(tx: EntityManager, clock: Clock, payload: unknown, error: string) {
  await tx
    .getConnection()
    .execute('insert into meta_webhooks (id, received_at, payload, error) values (?, ?, ?::jsonb, ?)', [
      newId('metaWebhook'),
      clock.now(),
      JSON.stringify(payload),
      error.slice(0, 2000),
    ]);
}
