import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { Permission } from '../permissions/permission.entity.ts';
import type { WebhookDelivery } from './webhook-delivery.entity.ts';

export const permissionWebhookHeadersContext = (permissionId: string) =>
  `permission:${permissionId}:webhook_headers`;

export const grantKey = (partnerId: string, channelId: string | undefined) => `${partnerId}:${channelId}`;

/** The current grants behind a batch's channel-webhook deliveries, in one query. */
export async function currentGrants(
  em: EntityManager,
  deliveries: WebhookDelivery[],
): Promise<Map<string, Permission>> {
  const inbound = deliveries.filter((d) => d.destination === 'channel_webhook' && d.event.channel);
  const grants = new Map<string, Permission>();
  if (inbound.length === 0) return grants;
  const found = await em.find(Permission, {
    revokedAt: null,
    partner: { $in: [...new Set(inbound.map((d) => d.partner.id))] },
    channel: { $in: [...new Set(inbound.map((d) => d.event.channel!.id))] },
  });
  for (const g of found) grants.set(grantKey(g.partner.id, g.channel.id), g);
  return grants;
}

/** The headers the partner asked to receive with its channel webhook (e.g. its own auth). */
export function channelWebhookHeaders(box: SecretBox, grant: Permission): Record<string, string> {
  if (!grant.webhookHeadersSealed) return {};
  return JSON.parse(
    box.decrypt(grant.webhookHeadersSealed, permissionWebhookHeadersContext(grant.id)),
  ) as Record<string, string>;
}
