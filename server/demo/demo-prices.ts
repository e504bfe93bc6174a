import type { PriceListInput } from '../../shared/schemas/billing.ts';
import type { Hub } from '../hub.ts';
import type { Actor } from '../modules/audit/actor.ts';
import { priceListInForce, publishPriceList } from '../modules/billing/price-lists.service.ts';
import { publishTerms, termsInForce } from '../modules/billing/terms.service.ts';

export const DEMO_ACTOR: Actor = { type: 'system', id: 'demo' };

/** Meta's per-message rates the demo bills with: round sandbox figures, not Meta's rate card. */
const DEMO_RATES: PriceListInput['rates'] = [
  { category: 'marketing', country: '*', meta_rate: '0.0600' },
  { category: 'marketing', country: 'DE', meta_rate: '0.1365' },
  { category: 'utility', country: '*', meta_rate: '0.0200' },
  { category: 'authentication', country: '*', meta_rate: '0.0300' },
];

export interface DemoPrices {
  price_list_version: number;
  terms_version: number;
  /** What the demo published now; false for a version already in force (an operator's, or an earlier run's). */
  published: { price_list: boolean; terms: boolean };
}

/**
 * Makes the price page usable at once: publishes a demo price list and demo terms, effective
 * from the start of this month (so this month's traffic is priced), only where none is in
 * force. Prices or terms an operator published are never replaced.
 */
export async function ensureDemoPrices(deps: Hub): Promise<DemoPrices> {
  const now = deps.clock.now();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return deps.orm.em.fork().transactional(async (em) => {
    // Two clicks (or two hub processes) publish one demo version between them.
    await em.execute(`select pg_advisory_xact_lock(hashtextextended('partner-hub:demo-prices', 0))`);
    const published = { price_list: false, terms: false };
    let list = await priceListInForce(em, now);
    if (!list) {
      list = await publishPriceList(
        em,
        deps.clock,
        { currency: 'eur', markup_percent: 10, effective_at: monthStart.toISOString(), rates: DEMO_RATES },
        DEMO_ACTOR,
      );
      published.price_list = true;
    }
    let terms = await termsInForce(em, now);
    if (!terms) {
      terms = await publishTerms(
        em,
        deps,
        { url: `${deps.config.publicUrl}/demo/terms`, effectiveAt: monthStart },
        DEMO_ACTOR,
      );
      published.terms = true;
    }
    return { price_list_version: list.version, terms_version: terms.version, published };
  });
}
