import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import { lineAmountMinor } from './money.ts';
import type { PriceList } from './price-list.entity.ts';
import { priceListsDuring, rateFor } from './price-lists.service.ts';
import type { StatementLine } from './statement.entity.ts';

const DAY_MS = 86_400_000;

/** `2026-11` → [2026-11-01T00:00Z, 2026-12-01T00:00Z). */
export function periodBounds(period: string): { from: Date; to: Date } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(year, month - 1, 1)), to: new Date(Date.UTC(year, month, 1)) };
}

/** The version in force on a UTC day: the newest that took effect by the day's first instant. */
export function listForDay(lists: PriceList[], day: Date): PriceList | undefined {
  let found: PriceList | undefined;
  for (const list of lists) if (list.effectiveAt.getTime() <= day.getTime()) found = list;
  return found;
}

export interface PricedUsage {
  currency: string;
  lines: StatementLine[];
  totalMinor: number;
  /** Categories billed at 0 because the price list has no rate for them (`category/country`). */
  unpriced: string[];
}

/**
 * The priced lines of a month's billable messages, from the usage ledger: of every client of
 * the partner, or of one client (Direct Payment). Each day's messages are priced with the
 * price-list version in force that day, so a month that spans a new version has a line per
 * version. Refused (409) when a day with billable messages has no price list.
 */
export async function priceUsage(
  em: EntityManager,
  scope: { partnerId: string; clientId: string | null; onlyPartnerPaid?: boolean },
  period: string,
): Promise<PricedUsage | null> {
  const { from, to } = periodBounds(period);
  const join = scope.clientId || scope.onlyPartnerPaid ? 'join channels c on c.id = u.channel_id' : '';
  const byClient = scope.clientId
    ? 'and c.client_id = ?'
    : scope.onlyPartnerPaid
      ? `and exists (select 1 from clients cl where cl.id = c.client_id and cl.payment_model = 'partner')`
      : '';
  const rows = await query<{ day: string; category: string; country: string; messages: number }>(
    em,
    `select to_char(u.day, 'YYYY-MM-DD') as day, u.category, u.country, sum(u.messages)::int as messages
       from usage_days u ${join}
      where u.partner_id = ? and u.billable and u.direction = 'outbound'
        and u.day >= ?::date and u.day < ?::date ${byClient}
      group by u.day, u.category, u.country
      order by u.day, u.category, u.country`,
    [
      scope.partnerId,
      from.toISOString().slice(0, 10),
      to.toISOString().slice(0, 10),
      ...(scope.clientId ? [scope.clientId] : []),
    ],
  );
  if (rows.length === 0) return null;
  const lists = await priceListsDuring(em, from, to);
  const lines = new Map<string, StatementLine>();
  const unpriced = new Set<string>();
  let currency: string | undefined;
  for (const row of rows) {
    const day = new Date(`${row.day}T00:00:00Z`);
    const list = listForDay(lists, day);
    if (!list) {
      throw new AppError(
        'conflict',
        `No price list was in force on ${row.day}: publish one effective by then`,
        {
          day: row.day,
        },
      );
    }
    if (currency !== undefined && list.currency !== currency) {
      throw new AppError('conflict', `The price lists in force in ${period} use different currencies`, {
        period,
      });
    }
    currency = list.currency;
    const rate = rateFor(list, row.category, row.country);
    if (!rate) unpriced.add(`${row.category}/${row.country || '??'}`);
    const country = row.country || '??';
    const key = `${row.category}\u0000${country}\u0000${list.version}`;
    const line = lines.get(key) ?? {
      category: row.category,
      country,
      price_list_version: list.version,
      messages: 0,
      unit_price_micros: rate?.price_micros ?? 0,
      amount_minor: 0,
    };
    line.messages += row.messages;
    lines.set(key, line);
  }
  const priced = [...lines.values()].map((l) => ({
    ...l,
    amount_minor: lineAmountMinor(l.messages, l.unit_price_micros, currency!),
  }));
  return {
    currency: currency!,
    lines: priced,
    totalMinor: priced.reduce((sum, l) => sum + l.amount_minor, 0),
    unpriced: [...unpriced],
  };
}

/** The month before the one `now` is in, `YYYY-MM`. */
export function previousPeriod(now: Date): string {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - DAY_MS);
  return first.toISOString().slice(0, 7);
}
