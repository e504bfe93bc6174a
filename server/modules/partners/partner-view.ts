import type { PartnerView } from '../../../shared/schemas/partner.ts';
import type { Partner } from './partner.entity.ts';

export function toPartnerView(partner: Partner): PartnerView {
  return {
    id: partner.id,
    name: partner.name,
    brand_name: partner.brandName ?? null,
    logo_url: partner.logoUrl ?? null,
    webhook_url: partner.webhookUrl ?? null,
    partner_redirect_url: partner.partnerRedirectUrl ?? null,
    allowed_redirect_urls: [...partner.allowedRedirectUrls],
    created_at: partner.createdAt.toISOString(),
    updated_at: partner.updatedAt.toISOString(),
  };
}
