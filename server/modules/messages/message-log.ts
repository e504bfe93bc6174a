import type { EntityManager } from '@mikro-orm/postgresql';
import { type PruneBudget, pruneInBatches } from '../../db/prune.ts';
import { queryBound, run } from '../../db/sql.ts';
import { newId } from '../../ids.ts';
import { str } from '../inbound/waba-fields.ts';

/**
 * Statuses in the order Meta moves a message through them: a status only ever replaces one
 * earlier in this list, so a late `delivered` after `read` changes nothing (Meta does not keep
 * order), and `failed` is final. A status Meta may add later ranks 0 and is ignored.
 */
const STATUS_ORDER = ['accepted', 'received', 'sent', 'delivered', 'read', 'played', 'failed', 'deleted'];
const rank = (status: string) => STATUS_ORDER.indexOf(status) + 1;
const RANK_SQL = (col: string) =>
  `coalesce(array_position(array[${STATUS_ORDER.map((s) => `'${s}'`).join(',')}]::text[], ${col}), 0)`;

/** The log keeps a message object up to this size; larger ones keep only their metadata. */
export const MAX_LOGGED_PAYLOAD_BYTES = 4096;

export interface LoggedMessage {
  channelId: string;
  direction: 'inbound' | 'outbound';
  wamid: string;
  contact: string | null;
  type: string | null;
  source: 'api' | 'business_app' | 'customer';
  status: string;
  sentAt: Date;
  payload: unknown;
}

export interface StatusUpdate {
  channelId: string;
  wamid: string;
  status: string;
  at: Date;
  contact: string | null;
  errorCode: number | null;
  errorTitle: string | null;
}

/** Text Postgres can store (`str` drops NUL and lone surrogates), cut to `n`; empty is null. */
const cut = (s: string | null | undefined, n: number) => (s == null ? null : str(s, n) || null);
function capped(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object') return null;
  const json = JSON.stringify(payload, (_k, v: unknown) =>
    typeof v === 'string' ? str(v, Number.POSITIVE_INFINITY) : v,
  );
  // A key can still hold what jsonb refuses: such a payload is left out, the message is kept.
  if (/\\u0000|\\ud[89a-f]/i.test(json)) return null;
  return Buffer.byteLength(json) <= MAX_LOGGED_PAYLOAD_BYTES ? json : null;
}

/**
 * One row per (channel, wamid) in a batch, keyed after cleaning (two ids that differ only by a
 * NUL are one row): Postgres refuses to upsert a row twice in one statement.
 */
function latestPer<T extends { channel_id: string; wamid: string | null }>(
  rows: T[],
  keep: (a: T, b: T) => T,
): T[] {
  const by = new Map<string, T>();
  for (const r of rows) {
    if (r.wamid === null) continue;
    const key = `${r.channel_id}\u0000${r.wamid}`;
    const seen = by.get(key);
    by.set(key, seen ? keep(seen, r) : r);
  }
  return [...by.values()];
}

/**
 * Adds messages to their channels' logs in one statement. A message already known (Meta retried
 * the webhook, or its status arrived first) keeps its row: only what was missing is filled in.
 */
export async function logMessages(em: EntityManager, now: Date, messages: LoggedMessage[]): Promise<void> {
  const cleaned = messages.map((m) => ({
    id: newId('channelMessage'),
    channel_id: m.channelId,
    direction: m.direction,
    wamid: cut(m.wamid, 256),
    contact: cut(m.contact, 128),
    type: cut(m.type, 32),
    source: m.source,
    status: m.status,
    payload: capped(m.payload),
    sent_at: m.sentAt,
  }));
  const rows = latestPer(cleaned, (a) => a);
  if (rows.length === 0) return;
  await queryBound(
    em,
    `insert into channel_messages (id, channel_id, direction, wamid, contact, type, source, status, status_at,
                                   payload, sent_at, created_at, updated_at)
     select x.id, x.channel_id, x.direction, x.wamid, x.contact, x.type, x.source, x.status, x.sent_at,
            x.payload::jsonb, x.sent_at, $1::timestamptz, $1::timestamptz
       from json_to_recordset($2::json) as x(id text, channel_id text, direction text, wamid text, contact text,
                                            type text, source text, status text, payload text, sent_at timestamptz)
     on conflict (channel_id, wamid) do update set
       type = coalesce(channel_messages.type, excluded.type),
       contact = coalesce(channel_messages.contact, excluded.contact),
       payload = coalesce(channel_messages.payload, excluded.payload),
       source = case when channel_messages.source = 'meta' then excluded.source else channel_messages.source end,
       sent_at = least(channel_messages.sent_at, excluded.sent_at),
       updated_at = $1::timestamptz`,
    [now, JSON.stringify(rows)],
  );
}

/**
 * Applies Meta's statuses to outbound messages, never moving one backwards. A status for a
 * message the log does not know (sent before the log existed, straight through Graph, or lost
 * with a crash between Meta's answer and the log write) starts its row from the status.
 */
export async function applyStatuses(em: EntityManager, now: Date, updates: StatusUpdate[]): Promise<void> {
  const cleaned = updates.map((u) => ({
    id: newId('channelMessage'),
    channel_id: u.channelId,
    wamid: cut(u.wamid, 256),
    contact: cut(u.contact, 128),
    status: cut(u.status, 16),
    at: u.at,
    error_code: u.errorCode,
    error_title: cut(u.errorTitle, 200),
  }));
  const rows = latestPer(
    cleaned.filter((r) => r.status !== null),
    (a, b) => (rank(b.status!) > rank(a.status!) ? b : a),
  );
  if (rows.length === 0) return;
  await queryBound(
    em,
    `insert into channel_messages (id, channel_id, direction, wamid, contact, type, source, status, status_at,
                                   error_code, error_title, sent_at, created_at, updated_at)
     select x.id, x.channel_id, 'outbound', x.wamid, x.contact, null, 'meta', x.status, x.at, x.error_code,
            x.error_title, x.at, $1::timestamptz, $1::timestamptz
       from json_to_recordset($2::json) as x(id text, channel_id text, wamid text, contact text, status text,
                                            at timestamptz, error_code int, error_title text)
     on conflict (channel_id, wamid) do update set
       status = excluded.status, status_at = excluded.status_at,
       error_code = coalesce(excluded.error_code, channel_messages.error_code),
       error_title = coalesce(excluded.error_title, channel_messages.error_title),
       updated_at = $1::timestamptz
     where ${RANK_SQL('excluded.status')} > ${RANK_SQL('channel_messages.status')}`,
    [now, JSON.stringify(rows)],
  );
}

/** The app marked a customer's message as read (`{"status":"read","message_id":…}`). */
export async function markInboundRead(em: EntityManager, now: Date, channelId: string, wamid: string) {
  await run(
    em,
    `update channel_messages set status = 'read', status_at = ?, updated_at = ?
      where channel_id = ? and wamid = ? and direction = 'inbound' and status = 'received'`,
    [now, now, channelId, wamid],
  );
}

/** Drops log entries older than the event retention, a batch at a time (see prune-expired). */
export function pruneChannelMessages(em: EntityManager, before: Date, budget: PruneBudget): Promise<number> {
  return pruneInBatches(
    em,
    budget,
    `delete from channel_messages where id in (
       select id from channel_messages where created_at < ? order by created_at limit ?)`,
    [before],
  );
}
