import type { EntityManager } from '@mikro-orm/postgresql';
import type { PriceListInput, PriceListView } from '../../../shared/schemas/billing.ts';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { basisPoints, formatMicros, priceWithMarkup, toMicros } from './money.ts';
import { PriceList, type Rate } from './price-list.entity.ts';

/**
 * Publishes the next version of the price list. Versions only ever add: a statement names the
 * version it was priced with, so an old one must stay as it was.
 */
export async function publishPriceList(
  em: EntityManager,
  clock: Clock,
  input: PriceListInput,
  actor: Actor,
): Promise<PriceList> {
  const seen = new Set<string>();
  const rates: Rate[] = input.rates.map((r) => {
    const key = `${r.category}/${r.country}`;
    if (seen.has(key)) throw new AppError('validation_failed', `Two rates for ${key}`, { rate: key });
    seen.add(key);
    const markup = r.markup_percent ?? input.markup_percent;
    const meta = toMicros(r.meta_rate);
    return {
      category: r.category,
      country: r.country,
      meta_micros: meta,
      markup_percent: markup,
      price_micros: priceWithMarkup(meta, basisPoints(markup)),
    };
  });
  return em.transactional(async (tx) => {
    // One publisher at a time: versions are consecutive and never reused.
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', ['price_lists']);
    const latest = await tx.findOne(PriceList, { version: { $gt: 0 } }, { orderBy: { version: 'desc' } });
    const list = tx.create(PriceList, {
      version: (latest?.version ?? 0) + 1,
      currency: input.currency,
      effectiveAt: input.effective_at ? new Date(input.effective_at) : clock.now(),
      rates,
    });
    recordAudit(tx, actor, {
      partner: null,
      action: 'price_list.published',
      target: { type: 'price_list', id: list.id },
      details: {
        version: list.version,
        currency: list.currency,
        rates: rates.length,
        effective_at: list.effectiveAt.toISOString(),
      },
    });
    return list;
  });
}

/** The version in force at `at`: the newest whose effective time is not after it. */
export function priceListInForce(em: EntityManager, at: Date): Promise<PriceList | null> {
  return em.findOne(
    PriceList,
    { effectiveAt: { $lte: at } },
    { orderBy: { effectiveAt: 'desc', version: 'desc' } },
  );
}

/** Every version that is in force at some moment of [from, to): the one in force at `from`, and those that start inside. */
export async function priceListsDuring(em: EntityManager, from: Date, to: Date): Promise<PriceList[]> {
  const first = await priceListInForce(em, from);
  const later = await em.find(
    PriceList,
    { effectiveAt: { $gt: from, $lt: to } },
    { orderBy: { effectiveAt: 'asc', version: 'asc' } },
  );
  return first ? [first, ...later] : later;
}

/** The rate for a message: the category's rate for the country, else its `*` rate. */
export function rateFor(list: PriceList, category: string, country: string): Rate | undefined {
  return (
    list.rates.find((r) => r.category === category && r.country === country) ??
    list.rates.find((r) => r.category === category && r.country === '*')
  );
}

export function toPriceListView(list: PriceList): PriceListView {
  return {
    version: list.version,
    currency: list.currency,
    effective_at: list.effectiveAt.toISOString(),
    rates: list.rates.map((r) => ({
      category: r.category,
      country: r.country,
      meta_rate: formatMicros(r.meta_micros),
      markup_percent: r.markup_percent,
      price: formatMicros(r.price_micros),
    })),
  };
}
