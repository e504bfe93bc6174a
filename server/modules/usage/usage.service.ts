import type { EntityManager } from '@mikro-orm/postgresql';
import { MAX_USAGE_DAYS, type UsageQuery, type UsageReport } from '../../../shared/schemas/usage.ts';
import type { Clock } from '../../clock.ts';
import { query } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The range a query asks for: `to` defaults to today (UTC), `from` to 30 days before it. */
export function usageRange(clock: Clock, q: Pick<UsageQuery, 'from' | 'to'>): { from: string; to: string } {
  const to = q.to ?? isoDay(clock.now());
  const from = q.from ?? isoDay(new Date(Date.parse(to) - 30 * DAY_MS));
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1) throw new AppError('validation_failed', '`from` must not be after `to`', { from, to });
  if (days > MAX_USAGE_DAYS)
    throw new AppError('validation_failed', `A usage query covers at most ${MAX_USAGE_DAYS} days`, {
      from,
      to,
    });
  return { from, to };
}

/**
 * A partner's usage ledger over a range of UTC days: one row per day, channel, direction and
 * pricing, as counted while the partner held the channel (see usage-ledger.ts).
 */
export async function usageReport(
  em: EntityManager,
  clock: Clock,
  partnerId: string,
  q: UsageQuery,
): Promise<UsageReport> {
  const { from, to } = usageRange(clock, q);
  const rows = await query<UsageReport['rows'][number]>(
    em,
    `select to_char(day, 'YYYY-MM-DD') as day, channel_id, direction, category, pricing_model, billable, country, messages
       from usage_days
      where partner_id = ? and day between ?::date and ?::date ${q.channel_id ? 'and channel_id = ?' : ''}
      order by day, channel_id, direction, category, pricing_model, billable, country`,
    q.channel_id ? [partnerId, from, to, q.channel_id] : [partnerId, from, to],
  );
  const totals = { messages: 0, billable: 0 };
  for (const r of rows) {
    totals.messages += r.messages;
    if (r.billable) totals.billable += r.messages;
  }
  return { from, to, rows, totals };
}

/** Moved to shared/usage-csv.ts (the console builds the same file in the browser); kept here for callers. */
export { usageCsv } from '../../../shared/usage-csv.ts';
