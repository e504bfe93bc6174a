import type { EntityManager } from '@mikro-orm/postgresql';
import type { BalanceQuery, BalanceView } from '../../../shared/schemas/billing.ts';
import type { Clock } from '../../clock.ts';
import { query } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import type { Client } from '../clients/client.entity.ts';
import { formatMinor, lineAmountMinor } from './money.ts';
import { priceListsDuring, rateFor } from './price-lists.service.ts';
import { listForDay } from './statement-lines.ts';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

/**
 * 360dialog's client balance: the client's messages over a range of UTC days (or months), the
 * billable ones priced with the price list in force each day, and what it owes now (issued
 * statements not yet paid). Prices are rounded per period and category.
 */
export async function clientBalance(
  em: EntityManager,
  clock: Clock,
  client: Client,
  q: BalanceQuery,
): Promise<BalanceView> {
  const today = clock.now().toISOString().slice(0, 10);
  const end = q.end_date ?? today;
  const start = q.start_date ?? `${end.slice(0, 7)}-01`;
  const days = (Date.parse(end) - Date.parse(start)) / DAY_MS + 1;
  if (days < 1)
    throw new AppError('validation_failed', '`start_date` must not be after `end_date`', {
      start_date: start,
      end_date: end,
    });
  if (days > MAX_DAYS)
    throw new AppError('validation_failed', `A balance covers at most ${MAX_DAYS} days`, {
      start_date: start,
      end_date: end,
    });

  const rows = await query<{
    day: string;
    category: string;
    country: string;
    billable: boolean;
    messages: number;
  }>(
    em,
    `select to_char(u.day, 'YYYY-MM-DD') as day, u.category, u.country, u.billable and u.direction = 'outbound' as billable,
            sum(u.messages)::int as messages
       from usage_days u join channels c on c.id = u.channel_id
      where u.partner_id = ? and c.client_id = ? and u.day between ?::date and ?::date
      group by 1, 2, 3, 4 order by 1`,
    [client.partner.id, client.id, start, end],
  );
  const lists = await priceListsDuring(
    em,
    new Date(`${start}T00:00:00Z`),
    new Date(Date.parse(end) + DAY_MS),
  );
  const currency = lists.at(-1)?.currency ?? null;
  type Period = BalanceView['usage'][number] & { micros: Map<string, number> };
  const periods = new Map<string, Period>();
  for (const row of rows) {
    const key = q.granularity === 'MONTH' ? `${row.day.slice(0, 7)}-01` : row.day;
    const p: Period = periods.get(key) ?? {
      period_date: key,
      quantity: 0,
      paid_quantity: 0,
      free_quantity: 0,
      paid_by_category: {},
      total_price: '0',
      micros: new Map(),
    };
    p.quantity += row.messages;
    if (row.billable) {
      p.paid_quantity += row.messages;
      p.paid_by_category[row.category] = (p.paid_by_category[row.category] ?? 0) + row.messages;
      const list = listForDay(lists, new Date(`${row.day}T00:00:00Z`));
      const rate = list ? rateFor(list, row.category, row.country) : undefined;
      p.micros.set(
        row.category,
        (p.micros.get(row.category) ?? 0) + row.messages * (rate?.price_micros ?? 0),
      );
    } else {
      p.free_quantity += row.messages;
    }
    periods.set(key, p);
  }
  let totalMinor = 0;
  const usage = [...periods.values()].map(({ micros, ...p }) => {
    const minor = [...micros.values()].reduce((sum, m) => sum + lineAmountMinor(1, m, currency ?? 'eur'), 0);
    totalMinor += minor;
    return { ...p, total_price: formatMinor(minor, currency ?? 'eur') };
  });
  const [owed] = await query<{ minor: number }>(
    em,
    `select coalesce(sum(total_minor), 0)::int as minor from statements where client_id = ? and status in ('issued', 'payment_failed')`,
    [client.id],
  );
  return {
    partner_id: client.partner.id,
    client_id: client.id,
    payment_model: client.paymentModel,
    currency,
    start_date: start,
    end_date: end,
    granularity: q.granularity,
    balance: client.paymentModel === 'direct' ? formatMinor(-(owed?.minor ?? 0), currency ?? 'eur') : '0.00',
    billing_status: client.billingStatus,
    usage,
    total_price: formatMinor(totalMinor, currency ?? 'eur'),
  };
}
