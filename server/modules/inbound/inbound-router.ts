import { createHash } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { query } from '../../db/sql.ts';
import { newId } from '../../ids.ts';
import { withTraceParent } from '../../observability/trace-context.ts';
import { businessAppSeen } from '../coexistence/heartbeat.service.ts';
import {
  applyStatuses,
  type LoggedMessage,
  logMessages,
  type StatusUpdate,
} from '../messages/message-log.ts';
import { logEntriesOf } from '../messages/meta-messages.ts';
import { countUsage, type UsageSighting } from '../usage/usage-ledger.ts';
import { metaEnvelope } from '../webhooks/event-body.ts';
import { type EventToRecord, recordEvents } from '../webhooks/record-events.ts';
import { routeFanOut } from './fan-out.ts';
import { changesOf, type MetaChange, phoneNumberIdOf } from './meta-changes.ts';
import { isBusinessAppField, isNumberField, type NumberHolder, numberEvent } from './number-fields.ts';
import { isFanOutField } from './waba-fields.ts';

/** A verified webhook from Meta: the bytes as received, and what they parse to (if anything). */
export interface InboundPayload {
  raw: Buffer;
  /** Null when the bytes are not a JSON object: kept, never routed. */
  parsed: Record<string, unknown> | null;
  /**
   * The trace of the request that brought it (requests share group commits, so the payload
   * carries its own): the events it causes, and their deliveries, continue it.
   */
  traceParent?: string | null;
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
 * Records a batch of verified Meta payloads and fans their changes out, in the caller's
 * transaction: the raw bytes (a payload already stored is Meta retrying, and routes nothing
 * again), the fields Meta sends only to the app applied to channels and fanned out (fan-out.ts),
 * and one message event per (change, partner holding the number) through the one event writer.
 * A payload that is one change, as Meta sends them, reaches the channel webhooks byte for byte.
 * A payload with a change nobody holds is kept as unmatched, for `meta replay`.
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
  const fresh = inserted
    .map((r) => ({ hash: r.hash, payload: unique.get(r.hash)! }))
    .filter((p) => p.payload.parsed !== null);
  const routed = await routeChanges(tx, clock, fresh);
  if (routed.unmatched.size > 0) {
    await query(
      tx,
      `update meta_webhooks set routed_at = null, error = ?
        where body_sha256 in (select decode(h, 'hex') from json_array_elements_text(?::json) as x(h))`,
      [UNMATCHED, JSON.stringify([...routed.unmatched])],
    );
  }
  return { stored: inserted.length, events: routed.events };
}

/**
 * The mark of a payload kept because nobody holds what it is about (yet): `meta replay` routes
 * it again once the channel exists.
 */
export const UNMATCHED = 'unmatched: no channel held by a partner for this WABA or number';

interface Stored {
  hash: string;
  payload: InboundPayload;
}

/**
 * Routes the changes of stored payloads: WABA-level fields are applied to the channels and fanned
 * out (see fan-out.ts), changes about one number (messages, and a coexistence number's app
 * syncs, see number-fields.ts) go to every partner holding the number. Returns the
 * payloads with a change that reached nobody.
 */
async function routeChanges(
  tx: EntityManager,
  clock: Clock,
  stored: Stored[],
): Promise<{ events: number; unmatched: Set<string> }> {
  const unmatched = new Set<string>();
  let count = 0;
  const changes = stored.flatMap((s) => changesOf(s.payload.parsed).map((change) => ({ change, ...s })));
  for (const { change, hash, payload } of changes) {
    if (!isFanOutField(change.field)) continue;
    const field = change.field;
    const routed = await withTraceParent(payload.traceParent, () => routeFanOut(tx, clock, field, change));
    count += routed;
    if (routed === 0) unmatched.add(hash);
  }
  const numbered = changes.filter(({ change }) => isNumberField(change.field));
  for (const { change, hash } of numbered) {
    const id = phoneNumberIdOf(change);
    if (id === undefined || !PLAUSIBLE_ID.test(id)) unmatched.add(hash);
  }
  const routable = numbered.filter(({ change }) => {
    const id = phoneNumberIdOf(change);
    return id !== undefined && PLAUSIBLE_ID.test(id);
  });
  if (routable.length === 0) return { events: count, unmatched };

  const phoneIds = [...new Set(routable.map(({ change }) => phoneNumberIdOf(change)!))];
  const grants = await query<NumberHolder>(
    tx,
    `select c.id channel_id, c.client_id, c.waba_id, c.phone_number_id, p.partner_id
       from channels c join permissions p on p.channel_id = c.id and p.revoked_at is null
      where c.phone_number_id in (?) and c.status <> 'deleted'`,
    [phoneIds],
  );
  const byPhone = Map.groupBy(grants, (g) => g.phone_number_id);
  const events: EventToRecord[] = [];
  const sightings: UsageSighting[] = [];
  const appSeen = new Set<string>();
  const logged: { messages: LoggedMessage[]; statuses: StatusUpdate[] } = { messages: [], statuses: [] };
  for (const { change, payload, hash } of routable) {
    const holders = byPhone.get(phoneNumberIdOf(change)!) ?? [];
    if (holders.length === 0) unmatched.add(hash);
    else {
      const entries = logEntriesOf(change, holders[0]!.channel_id, clock.now());
      logged.messages.push(...entries.messages);
      logged.statuses.push(...entries.statuses);
    }
    let body: string | undefined;
    const bodyOf = () => (body ??= envelopeOf(change, payload));
    for (const grant of holders) {
      if (change.field === 'messages') {
        sightings.push({ partnerId: grant.partner_id, channelId: grant.channel_id, value: change.value });
      }
      if (isBusinessAppField(change.field)) appSeen.add(grant.channel_id);
      events.push({
        partnerId: grant.partner_id,
        channelId: grant.channel_id,
        ...numberEvent(change, grant, bodyOf),
        traceParent: payload.traceParent,
      });
    }
  }
  await recordEvents(tx, clock, events);
  await logMessages(tx, clock.now(), logged.messages);
  await applyStatuses(tx, clock.now(), logged.statuses);
  await countUsage(tx, clock.now(), sightings);
  await businessAppSeen(tx, clock.now(), [...appSeen]);
  return { events: count + events.length, unmatched };
}

export interface ReplayOptions {
  /** Only payloads received at or after this instant. */
  since?: Date;
  /** Only payloads with an entry for this WABA. */
  wabaId?: string;
  /** Also payloads whose routing failed with an error (after a fix), not only unmatched ones. */
  includeFailed?: boolean;
  limit?: number;
}

export interface ReplayResult {
  /** Payloads looked at. */
  considered: number;
  /** Payloads that now reached somebody (marked routed). */
  routed: number;
  /** Events recorded by the replay. */
  events: number;
}

/**
 * Routes kept payloads again (the operator's `meta replay`): those that reached nobody because
 * the channel did not exist yet, and on request those whose routing failed. Each payload is its
 * own transaction; one that still reaches nobody stays kept.
 */
export async function replayMetaWebhooks(
  orm: MikroORM,
  clock: Clock,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const rows = await query<{ id: string; body: Buffer; hash: string | null }>(
    orm.em.fork(),
    `select id, body, encode(body_sha256, 'hex') as hash from meta_webhooks
      where routed_at is null and (error = ? or (? and error <> 'not a JSON object'))
        and received_at >= ?
      order by received_at, id limit ?`,
    [UNMATCHED, options.includeFailed ?? false, options.since ?? new Date(0), options.limit ?? 10_000],
  );
  const result: ReplayResult = { considered: 0, routed: 0, events: 0 };
  for (const row of rows) {
    const raw = Buffer.from(row.body);
    let parsed: Record<string, unknown> | null = null;
    try {
      const value: unknown = JSON.parse(raw.toString('utf8'));
      if (value && typeof value === 'object' && !Array.isArray(value))
        parsed = value as Record<string, unknown>;
    } catch {
      parsed = null;
    }
    if (!parsed) continue;
    if (options.wabaId && !changesOf(parsed).some((c) => c.wabaId === options.wabaId)) continue;
    result.considered++;
    const hash = row.hash ?? row.id;
    await orm.em.fork().transactional(async (tx) => {
      const routed = await routeChanges(tx, clock, [{ hash, payload: { raw, parsed } }]);
      result.events += routed.events;
      if (routed.unmatched.has(hash)) return;
      await query(tx, 'update meta_webhooks set routed_at = ?, error = null where id = ?', [
        clock.now(),
        row.id,
      ]);
      result.routed++;
    });
  }
  return result;
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
