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
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
  };
}
