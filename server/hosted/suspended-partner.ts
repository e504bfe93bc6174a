import { AppError } from '../errors.ts';
import type { Partner } from '../modules/partners/partner.entity.ts';

/**
 * A suspended partner takes no new connections: its permission page and its onboarding links
 * answer `403 partner_suspended`, as its API does. What its clients granted before stays.
 */
export function refuseSuspended(partner: Pick<Partner, 'suspendedAt'>, brandName: string): void {
  if (!partner.suspendedAt) return;
  throw new AppError(
    'partner_suspended',
    `${brandName} cannot connect WhatsApp numbers right now. Please contact ${brandName}.`,
    { suspended_at: new Date(partner.suspendedAt).toISOString() },
  );
}
