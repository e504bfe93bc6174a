import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Channel } from '../channels/channel.entity.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { recordEvent } from '../webhooks/events.service.ts';
import { Permission } from './permission.entity.ts';

/** Grants the partner access to the channel; granting what is already granted changes nothing. */
export async function grantPermission(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  channel: Channel,
  actor: Actor,
): Promise<{ permission: Permission; granted: boolean }> {
  const current = await em.findOne(Permission, { partner, channel, revokedAt: null });
  if (current) return { permission: current, granted: false };
  const permission = em.create(Permission, {
    partner,
    channel,
    client: channel.client,
    grantedAt: clock.now(),
    grantedBy: actor.id,
  });
  recordAudit(em, actor, {
    partner,
    action: 'permission.granted',
    target: { type: 'permission', id: permission.id },
    details: { channel_id: channel.id, client_id: channel.client.id },
  });
  await recordEvent(em, clock, {
    partner,
    channel,
    type: 'permission.granted',
    data: { permission_id: permission.id, channel_id: channel.id, client_id: channel.client.id },
  });
  await em.flush();
  return { permission, granted: true };
}

/**
 * Ends the partner's access. Its keys for the channel stop working (key checks require a
 * current grant), and queued inbound deliveries to it are dropped.
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
  recordAudit(em, actor, {
    partner,
    action: 'permission.revoked',
    target: { type: 'permission', id: current.id },
    details: { channel_id: channel.id, client_id: channel.client.id },
  });
  await recordEvent(em, clock, {
    partner,
    channel,
    type: 'permission.revoked',
    data: { permission_id: current.id, channel_id: channel.id, client_id: channel.client.id },
  });
  await em.flush();
  return current;
}
