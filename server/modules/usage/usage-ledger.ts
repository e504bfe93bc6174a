import type { EntityManager } from '@mikro-orm/postgresql';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { type PruneBudget, pruneInBatches } from '../../db/prune.ts';
import { queryBound } from '../../db/sql.ts';
import { newId } from '../../ids.ts';

/** A `messages` change Meta reported for a channel a partner holds. */
export interface UsageSighting {
  partnerId: string;
  channelId: string;
  value: Record<string, unknown>;
}

interface Usage {
  wamid: string;
  /** The recipient's (outbound) or sender's (inbound) country, `''` when the number names none. */
  country: string;
  day: string;
  direction: 'inbound' | 'outbound';
  category: string;
  pricing_model: string;
  billable: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Meta's strings as PostgreSQL text can hold them (no NUL, no lone surrogate): a count never fails a relay. */
const text = (v: unknown, max: number): string | null =>
  typeof v === 'string' && v.length > 0
    ? v.replaceAll('\u0000', '').toWellFormed().slice(0, max) || null
    : null;

/**
 * The country of a WhatsApp id (a phone number's digits): Meta prices messages by it. A number
 * the metadata cannot place exactly (a test range, a new block) counts for its calling code's
 * main country, which is what Meta's rate card keys on too.
 */
export function countryOf(waId: unknown): string {
  if (typeof waId !== 'string' || !/^\d{5,15}$/.test(waId)) return '';
  const number = parsePhoneNumberFromString(`+${waId}`);
  return number?.country ?? number?.getPossibleCountries()[0] ?? '';
}

/** The UTC day of Meta's unix `timestamp`; the day it arrived when the timestamp is unusable. */
function dayOf(timestamp: unknown, now: Date): string {
  const seconds = Number(timestamp);
  const at = Number.isFinite(seconds) && seconds > 0 && seconds < 1e11 ? new Date(seconds * 1000) : now;
  return at.toISOString().slice(0, 10);
}

/**
 * What a change counts: each status that carries Meta's `pricing` (the sent message, by its
 * category, pricing model and billable flag; Meta attaches pricing to sent and delivered
 * statuses, so the first of them counts), and each inbound message (`service`, not billable).
 */
export function usageOf(value: Record<string, unknown>, now: Date): Usage[] {
  const usage: Usage[] = [];
  for (const status of list(value.statuses)) {
    const wamid = isObject(status) ? text(status.id, 256) : null;
    if (!wamid || !isObject(status) || !isObject(status.pricing)) continue;
    usage.push({
      wamid,
      country: countryOf(status.recipient_id),
      day: dayOf(status.timestamp, now),
      direction: 'outbound',
      category: text(status.pricing.category, 64) ?? 'unknown',
      pricing_model: text(status.pricing.pricing_model, 16) ?? '',
      billable: status.pricing.billable === true,
    });
  }
  for (const message of list(value.messages)) {
    const wamid = isObject(message) ? text(message.id, 256) : null;
    if (!wamid || !isObject(message)) continue;
    usage.push({
      wamid,
      country: countryOf(message.from),
      day: dayOf(message.timestamp, now),
      direction: 'inbound',
      category: 'service',
      pricing_model: '',
      billable: false,
    });
  }
  return usage;
}

/**
 * Counts what the sightings report into the ledger, in the caller's transaction: each message
 * once per partner (`usage_messages` remembers those counted: Meta repeats statuses, retries
 * and reorders them), added to the partner's, channel's and day's row for its pricing.
 */
export async function countUsage(tx: EntityManager, now: Date, sightings: UsageSighting[]): Promise<void> {
  const firstSeen = new Map<string, Usage & { partner_id: string; channel_id: string }>();
  for (const s of sightings)
    for (const u of usageOf(s.value, now)) {
      const key = `${s.partnerId}\u0000${u.wamid}`;
      if (!firstSeen.has(key)) firstSeen.set(key, { ...u, partner_id: s.partnerId, channel_id: s.channelId });
    }
  if (firstSeen.size === 0) return;
  const rows = [...firstSeen.values()];
  const counted = await queryBound<{ partner_id: string; wamid: string }>(
    tx,
    `insert into usage_messages (id, partner_id, wamid, created_at)
     select x.id, x.partner_id, x.wamid, $1::timestamptz
       from json_to_recordset($2::json) as x(id text, partner_id text, wamid text)
     on conflict (partner_id, wamid) do nothing
     returning partner_id, wamid`,
    [
      now,
      JSON.stringify(
        rows.map((r) => ({ id: newId('usageMessage'), partner_id: r.partner_id, wamid: r.wamid })),
      ),
    ],
  );
  const groups = new Map<string, { id: string; messages: number; row: (typeof rows)[number] }>();
  for (const { partner_id, wamid } of counted) {
    const row = firstSeen.get(`${partner_id}\u0000${wamid}`)!;
    const key = [
      row.partner_id,
      row.channel_id,
      row.day,
      row.direction,
      row.category,
      row.pricing_model,
      row.billable,
      row.country,
    ].join('\u0000');
    const group = groups.get(key) ?? { id: newId('usageDay'), messages: 0, row };
    group.messages++;
    groups.set(key, group);
  }
  if (groups.size === 0) return;
  // In key order, so concurrent batches lock the rows they share in the same order.
  const upserts = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, g]) => ({
      id: g.id,
      partner_id: g.row.partner_id,
      channel_id: g.row.channel_id,
      day: g.row.day,
      direction: g.row.direction,
      category: g.row.category,
      pricing_model: g.row.pricing_model,
      billable: g.row.billable,
      country: g.row.country,
      messages: g.messages,
    }));
  await queryBound(
    tx,
    `insert into usage_days (id, partner_id, channel_id, day, direction, category, pricing_model, billable, country, messages)
     select x.id, x.partner_id, x.channel_id, x.day, x.direction, x.category, x.pricing_model, x.billable, x.country, x.messages
       from json_to_recordset($1::json) as x(id text, partner_id text, channel_id text, day date, direction text,
                                             category text, pricing_model text, billable boolean, country text, messages int)
     on conflict (partner_id, channel_id, day, direction, category, pricing_model, billable, country)
     do update set messages = usage_days.messages + excluded.messages`,
    [JSON.stringify(upserts)],
  );
}

/**
 * Forgets which messages were counted before `before` (the ledger's rows stay), a batch at a
 * time: kept as long as the events, longer than Meta repeats a status.
 */
export function pruneUsageMessages(em: EntityManager, before: Date, budget: PruneBudget): Promise<number> {
  return pruneInBatches(
    em,
    budget,
    `delete from usage_messages where id in (
       select id from usage_messages where created_at < ? order by created_at limit ?)`,
    [before],
  );
}
