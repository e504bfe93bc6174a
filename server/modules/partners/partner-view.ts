import type { EntityManager } from '@mikro-orm/postgresql';
import type { PartnerView } from '../../../shared/schemas/partner.ts';
import { primaryDestinationOf } from '../webhooks/destinations.service.ts';
import type { WebhookDestination } from '../webhooks/webhook-destination.entity.ts';
import type { Partner } from './partner.entity.ts';

/** The partner's settings; `webhook_url` is its primary webhook destination's URL. */
export function toPartnerView(partner: Partner, primary: WebhookDestination): PartnerView {
  return {
    id: partner.id,
    name: partner.name,
    brand_name: partner.brandName ?? null,
    logo_url: partner.logoUrl ?? null,
    webhook_url: primary.url ?? null,
    partner_redirect_url: partner.partnerRedirectUrl ?? null,
    allowed_redirect_urls: [...partner.allowedRedirectUrls],
    created_at: partner.createdAt.toISOString(),
    updated_at: partner.updatedAt.toISOString(),
  };
}

export async function partnerViewOf(em: EntityManager, partner: Partner): Promise<PartnerView> {
  return toPartnerView(partner, await primaryDestinationOf(em, partner.id));
}
