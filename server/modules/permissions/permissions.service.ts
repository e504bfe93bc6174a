import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Channel } from '../channels/channel.entity.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { channelDestinationOf, removeDestination } from '../webhooks/destinations.service.ts';
import { recordEvent } from '../webhooks/record-events.ts';
import { Permission } from './permission.entity.ts';

/** Grants the partner access to the channel; granting what is already granted changes nothing. */
export async function grantPermission(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  channel: Channel,
  actor: Actor,
  /** The onboarding session's tenant id and metadata, kept on the grant (a later session's replace them). */
  tenant?: { tenantId: string; metadata: Record<string, unknown> | null },
): Promise<{ permission: Permission; granted: boolean }> {
  const current = await em.findOne(Permission, { partner, channel, revokedAt: null });
  if (current) {
    if (tenant) {
      current.tenantId = tenant.tenantId;
      current.metadata = tenant.metadata;
      await em.flush();
    }
    return { permission: current, granted: false };
  }
  const permission = em.create(Permission, {
    partner,
    channel,
    client: channel.client,
    grantedAt: clock.now(),
    grantedBy: actor.id,
    tenantId: tenant?.tenantId ?? null,
    metadata: tenant?.metadata ?? null,
  });
  await em.transactional(async (tx) => {
    recordAudit(tx, actor, {
      partner,
      action: 'permission.granted',
      target: { type: 'permission', id: permission.id },
      details: { channel_id: channel.id, client_id: channel.client.id },
    });
    await recordEvent(tx, clock, {
      partnerId: partner.id,
      channelId: channel.id,
      type: 'permission.granted',
      data: { permission_id: permission.id, channel_id: channel.id, client_id: channel.client.id },
    });
  });
  return { permission, granted: true };
}

/**
 * Ends the partner's access. Its keys for the channel stop working (key checks require a
 * current grant), and its channel webhook goes with the grant: queued inbound deliveries to it
 * end failed, in the same transaction.
 */
export async function revokePermission(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  channel: Channel,
  actor: Actor,
): Promise<Permission | null> {
  const current = await em.findOne(Permission, { partner, channel, revokedAt: null });
  if (!current) return null;
  current.revokedAt = clock.now();
  current.revokedBy = actor.id;
  await em.transactional(async (tx) => {
    const webhook = await channelDestinationOf(tx, current.id);
    if (webhook) await removeDestination(tx, webhook, clock.now());
    recordAudit(tx, actor, {
      partner,
      action: 'permission.revoked',
      target: { type: 'permission', id: current.id },
      details: { channel_id: channel.id, client_id: channel.client.id },
    });
    await recordEvent(tx, clock, {
      partnerId: partner.id,
      channelId: channel.id,
      type: 'permission.revoked',
      data: { permission_id: current.id, channel_id: channel.id, client_id: channel.client.id },
    });
  });
  return current;
}
