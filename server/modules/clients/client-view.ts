import type { ClientView } from '../../../shared/schemas/client.ts';
import type { Client } from './client.entity.ts';

export function toClientView(client: Client): ClientView {
  return {
    id: client.id,
    partner_id: client.partner.id,
    name: client.name ?? null,
    external_id: client.externalId ?? null,
    partner_payload: client.partnerPayload ?? null,
    status: client.status,
    payment_model: client.paymentModel,
    billing_status: client.billingStatus,
    terms_version: client.termsVersion ?? null,
    price_list_version: client.priceListVersion ?? null,
    terms_accepted_at: client.termsAcceptedAt?.toISOString() ?? null,
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
  };
}
