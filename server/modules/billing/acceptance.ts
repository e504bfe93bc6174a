import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Client } from '../clients/client.entity.ts';

/**
 * Records on the client which terms (and, for Direct Payment, which price list) it accepted
 * and when, with an audit entry, in the caller's unit of work.
 */
export function acceptTerms(
  em: EntityManager,
  clock: Clock,
  client: Client,
  accepted: { termsVersion: number | null; priceListVersion: number | null },
  actor: Actor,
): void {
  const at = clock.now();
  client.termsVersion = accepted.termsVersion;
  client.priceListVersion = accepted.priceListVersion;
  client.termsAcceptedAt = at;
  em.persist(client);
  recordAudit(em, actor, {
    partner: client.partner,
    action: 'client.terms_accepted',
    target: { type: 'client', id: client.id },
    details: {
      payment_model: client.paymentModel,
      terms_version: accepted.termsVersion,
      price_list_version: accepted.priceListVersion,
      accepted_at: at.toISOString(),
    },
  });
}
