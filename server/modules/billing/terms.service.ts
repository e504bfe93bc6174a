import type { EntityManager } from '@mikro-orm/postgresql';
import type { TermsView } from '../../../shared/schemas/billing.ts';
import type { Clock } from '../../clock.ts';
import { assertAcceptableUrl, type UrlPolicy } from '../../security/url-policy.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { BillingTerms } from './billing-terms.entity.ts';

/** Publishes the next version of the terms of service (a URL the sign-up pages link to). */
export async function publishTerms(
  em: EntityManager,
  deps: { clock: Clock; urlPolicy: UrlPolicy },
  input: { url: string; effectiveAt?: Date },
  actor: Actor,
): Promise<BillingTerms> {
  const url = assertAcceptableUrl(input.url, 'url', deps.urlPolicy);
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', ['billing_terms']);
    const latest = await tx.findOne(BillingTerms, { version: { $gt: 0 } }, { orderBy: { version: 'desc' } });
    const terms = tx.create(BillingTerms, {
      version: (latest?.version ?? 0) + 1,
      url,
      effectiveAt: input.effectiveAt ?? deps.clock.now(),
    });
    recordAudit(tx, actor, {
      partner: null,
      action: 'terms.published',
      target: { type: 'terms', id: terms.id },
      details: { version: terms.version, url, effective_at: terms.effectiveAt.toISOString() },
    });
    return terms;
  });
}

export function termsInForce(em: EntityManager, at: Date): Promise<BillingTerms | null> {
  return em.findOne(
    BillingTerms,
    { effectiveAt: { $lte: at } },
    { orderBy: { effectiveAt: 'desc', version: 'desc' } },
  );
}

export function toTermsView(terms: BillingTerms): TermsView {
  return { version: terms.version, url: terms.url, effective_at: terms.effectiveAt.toISOString() };
}
