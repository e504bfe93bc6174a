import type { EntityManager } from '@mikro-orm/postgresql';
import type { PaymentModel } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { recordEvent } from '../webhooks/record-events.ts';

/**
 * Sets who pays for the partner's clients (an operator's decision, never the partner's). Clients
 * keep the model they signed up under: what they agreed to does not change behind their back.
 */
export async function setPaymentModel(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  model: PaymentModel,
  actor: Actor,
): Promise<boolean> {
  if (partner.paymentModel === model) return false;
  const from = partner.paymentModel;
  partner.paymentModel = model;
  await em.transactional(async (tx) => {
    tx.persist(partner);
    recordAudit(tx, actor, {
      partner,
      action: 'partner.payment_model_set',
      target: { type: 'partner', id: partner.id },
      details: { from, to: model },
    });
    await recordEvent(tx, clock, {
      partnerId: partner.id,
      type: 'partner.updated',
      data: { partner_id: partner.id, changed_fields: ['payment_model'] },
    });
  });
  return true;
}
