import type { ChannelView } from '../../../shared/schemas/channel.ts';
import type { Permission } from '../permissions/permission.entity.ts';
import type { Channel } from './channel.entity.ts';

/** The channel as the partner holding `grant` sees it (the tenant id and metadata are that partner's). */
export function toChannelView(
  channel: Channel,
  grant: Pick<Permission, 'tenantId' | 'metadata' | 'partner'>,
): ChannelView {
  return {
    id: channel.id,
    client_id: channel.client.id,
    phone_number: channel.phoneNumber,
    display_name: channel.displayName ?? null,
    verified_name: channel.verifiedName ?? null,
    waba_id: channel.wabaId,
    phone_number_id: channel.phoneNumberId,
    business_id: channel.businessId ?? null,
    status: channel.status,
    status_reason: channel.statusReason ?? null,
    connection_type: channel.connectionType,
    quality_rating: channel.qualityRating ?? null,
    current_limit: channel.currentLimit ?? null,
    max_phone_numbers: channel.maxPhoneNumbers ?? null,
    name_status: channel.nameStatus ?? null,
    requested_display_name: channel.requestedDisplayName ?? null,
    business_app_seen_at: channel.businessAppSeenAt?.toISOString() ?? null,
    tenant_id: grant.tenantId ?? null,
    metadata: grant.metadata ?? null,
    webhook_overridden: channel.webhookOverrideUrl != null,
    webhook_override_url:
      channel.webhookOverrideBy === grant.partner.id ? (channel.webhookOverrideUrl ?? null) : null,
    created_at: channel.createdAt.toISOString(),
    updated_at: channel.updatedAt.toISOString(),
  };
}
