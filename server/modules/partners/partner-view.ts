import type { PartnerView } from '../../../shared/schemas/partner.ts';
import type { Partner } from './partner.entity.ts';

/** A partner's columns: the entity, or a cached copy of them (auth/partner-tokens.ts) for answers that need no entity. */
export type PartnerRow = Readonly<
  Pick<
    Partner,
    | 'id'
    | 'name'
    | 'brandName'
    | 'logoUrl'
    | 'partnerRedirectUrl'
    | 'allowedRedirectUrls'
    | 'webhookUrl'
    | 'requireSignedLinks'
    | 'paymentModel'
    | 'suspendedAt'
    | 'createdAt'
    | 'updatedAt'
  >
>;

/** The partner's settings; `webhook_url` is its primary webhook destination's URL. */
export function toPartnerView(partner: PartnerRow, webhookUrl: string | null): PartnerView {
  return {
    id: partner.id,
    name: partner.name,
    brand_name: partner.brandName ?? null,
    logo_url: partner.logoUrl ?? null,
    webhook_url: webhookUrl,
    partner_redirect_url: partner.partnerRedirectUrl ?? null,
    allowed_redirect_urls: [...partner.allowedRedirectUrls],
    require_signed_links: partner.requireSignedLinks,
    payment_model: partner.paymentModel,
    suspended_at: partner.suspendedAt?.toISOString() ?? null,
    created_at: partner.createdAt.toISOString(),
    updated_at: partner.updatedAt.toISOString(),
  };
}

/** The view of a partner as loaded: its `webhookUrl` formula was read in the same query. */
export function partnerViewOf(partner: PartnerRow): PartnerView {
  return toPartnerView(partner, partner.webhookUrl ?? null);
}
