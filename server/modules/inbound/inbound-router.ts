import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { query } from '../../db/sql.ts';
import { newId } from '../../ids.ts';
import { metaEnvelope } from '../webhooks/event-body.ts';
import { type EventToRecord, recordEvents } from '../webhooks/record-events.ts';
import { applyAccountUpdate } from './account-updates.ts';
import { changesOf, type MetaChange, messageEventType, phoneNumberIdOf } from './meta-changes.ts';

/** A verified webhook from Meta: the bytes as received, and what they parse to (if anything). */
export interface InboundPayload {
  raw: Buffer;
  /** Null when the bytes are not a JSON object: kept, never routed. */
  parsed: Record<string, unknown> | null;
}

interface GrantRow {
  channel_id: string;
  phone_number_id: string;
  partner_id: string;
}

export interface RoutedBatch {
  /** Payloads seen for the first time (the others are Meta's retries of stored ones). */
  stored: number;
  events: number;
}

/** Meta's ids are numeric; anything else cannot name a channel, and must not reach a query. */
const PLAUSIBLE_ID = /^[\w.-]{1,64}$/;

const sha256 = (raw: Buffer) => createHash('sha256').update(raw).digest('hex');

/**
 * Records a batch of verified Meta payloads and fans their message changes out, in the
 * caller's transaction: the raw bytes (a payload already stored is Meta retrying, and routes
 * nothing again), `account_update`s applied to channels, and one message event per (change,
 * partner holding the number) through the one event writer. A payload that is one change, as
 * Meta sends them, reaches the channel webhooks byte for byte.
 */
export async function routeMetaPayloads(
  tx: EntityManager,
  clock: Clock,
  payloads: InboundPayload[],
): Promise<RoutedBatch> {
  const now = clock.now();
  const unique = new Map<string, InboundPayload>();
  for (const p of payloads) unique.set(sha256(p.raw), p);
  const rows = [...unique].map(([hash, p]) => ({
    id: newId('metaWebhook'),
    body: p.raw.toString('base64'),
    hash,
    routable: p.parsed !== null,
  }));
  const inserted = await query<{ hash: string }>(
    tx,
    `insert into meta_webhooks (id, received_at, body, body_sha256, routed_at, error)
     select x.id, ?, decode(x.body, 'base64'), decode(x.hash, 'hex'),
            case when x.routable then ?::timestamptz end, case when x.routable then null else 'not a JSON object' end
       from json_to_recordset(?::json) as x(id text, body text, hash text, routable boolean)
     on conflict (body_sha256) do nothing
     returning encode(body_sha256, 'hex') as hash`,
    [now, now, JSON.stringify(rows)],
  );
  const fresh = inserted.map((r) => unique.get(r.hash)!).filter((p) => p.parsed !== null);

  const changes = fresh.flatMap((p) => changesOf(p.parsed).map((change) => ({ change, payload: p })));
  for (const { change } of changes)
    if (change.field === 'account_update') await applyAccountUpdate(tx, clock, change);
  const messages = changes.filter(({ change }) => {
    const id = change.field === 'messages' ? phoneNumberIdOf(change) : undefined;
    return id !== undefined && PLAUSIBLE_ID.test(id);
  });
  if (messages.length === 0) return { stored: inserted.length, events: 0 };

  const phoneIds = [...new Set(messages.map(({ change }) => phoneNumberIdOf(change)!))];
  const grants = await query<GrantRow>(
    tx,
    `select c.id channel_id, c.phone_number_id, p.partner_id
       from channels c join permissions p on p.channel_id = c.id and p.revoked_at is null
      where c.phone_number_id in (?) and c.status <> 'deleted'`,
    [phoneIds],
  );
  const byPhone = Map.groupBy(grants, (g) => g.phone_number_id);
  const events: EventToRecord[] = [];
  for (const { change, payload } of messages) {
    const body = envelopeOf(change, payload);
    for (const grant of byPhone.get(phoneNumberIdOf(change)!) ?? []) {
      events.push({
        partnerId: grant.partner_id,
        channelId: grant.channel_id,
        type: messageEventType(change),
        body,
      });
    }
  }
  await recordEvents(tx, clock, events);
  return { stored: inserted.length, events: events.length };
}

/** The payload itself when it is this one change; otherwise the change in Meta's envelope of its own. */
function envelopeOf(change: MetaChange, payload: InboundPayload): string {
  if (changesOf(payload.parsed).length === 1) return payload.raw.toString('utf8');
  return metaEnvelope(change.wabaId, change.field, change.value);
}

/** Keeps a payload that could not be routed, so nothing Meta sent is lost; an operator can replay it. */
export async function keepUnrouted(
  tx: EntityManager,
  clock: Clock,
  raw: Buffer,
  error: string,
): Promise<void> {
  await query(
    tx,
    `insert into meta_webhooks (id, received_at, body, body_sha256, error) values (?, ?, decode(?, 'base64'), decode(?, 'hex'), ?)
     on conflict (body_sha256) do nothing`,
    [
      newId('metaWebhook'),
      clock.now(),
      raw.toString('base64'),
      sha256(raw),
      error.replaceAll('\u0000', '').slice(0, 2000),
    ],
  );
}
