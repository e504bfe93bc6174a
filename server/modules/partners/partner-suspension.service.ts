import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { recordEvent } from '../webhooks/record-events.ts';
import { Partner } from './partner.entity.ts';

/**
 * Refuses a suspended partner's tokens and console users. Called where a credential resolves to
 * its partner (auth/partner-tokens.ts, the console's context), never per operation, so no route
 * can forget it.
 */
export function assertPartnerActive(partner: Pick<Partner, 'id' | 'suspendedAt'>): void {
  if (partner.suspendedAt) {
    throw new AppError(
      'partner_suspended',
      'This partner is suspended by the hub’s operator; contact them to have it reinstated',
      { suspended_at: new Date(partner.suspendedAt).toISOString() },
    );
  }
}

/**
 * Suspends (or reinstates) a partner: an operator's decision, for abuse or an unpaid contract.
 * Its tokens and console users are refused from the next request on this process and within
 * 1 s on the others (the token cache is cleared by the flush, and expires elsewhere). Its
 * clients' channel API keys keep working: the businesses sending through them did nothing wrong,
 * and `clients suspend` stops one of them when that is what is needed. Events keep being
 * recorded and delivered, so nothing is missing when the partner comes back. Idempotent:
 * suspending a suspended partner keeps its first `suspended_at` and writes nothing.
 */
export async function setPartnerSuspended(
  em: EntityManager,
  clock: Clock,
  partnerId: string,
  suspended: boolean,
  actor: Actor,
): Promise<Partner> {
  return em.transactional(async (tx) => {
    const partner = await tx.findOne(Partner, partnerId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!partner) throw new AppError('not_found', `No partner ${partnerId}`);
    if (Boolean(partner.suspendedAt) === suspended) return partner;
    partner.suspendedAt = suspended ? clock.now() : null;
    recordAudit(tx, actor, {
      partner,
      action: suspended ? 'partner.suspended' : 'partner.unsuspended',
      target: { type: 'partner', id: partner.id },
    });
    await recordEvent(tx, clock, {
      partnerId: partner.id,
      type: 'partner.updated',
      data: { partner_id: partner.id, changed_fields: ['suspended_at'] },
    });
    return partner;
  });
}
