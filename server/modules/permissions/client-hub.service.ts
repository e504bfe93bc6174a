import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import type { Channel } from '../channels/channel.entity.ts';
import type { Client } from '../clients/client.entity.ts';
import { assertClientActive } from '../clients/client-status.service.ts';
import { Partner } from '../partners/partner.entity.ts';
import { channelsOfClient } from './client-grants.service.ts';
import { Permission } from './permission.entity.ts';
import { grantPermission, revokePermission } from './permissions.service.ts';

export interface ChannelAccess {
  channel: Channel;
  /** Partners holding access now. */
  granted: Partner[];
  /** Partners the client may grant: the one it signed up through, and any that held access before. */
  grantable: Partner[];
}

/** What the client hub shows: each channel with who holds it and who could. */
export async function channelAccessOf(em: EntityManager, client: Client): Promise<ChannelAccess[]> {
  const channels = await channelsOfClient(em, client);
  const history = await em.find(Permission, { client }, { populate: ['partner'], orderBy: { id: 'asc' } });
  const owner = await em.findOneOrFail(Partner, { id: client.partner.id });
  const known = new Map<string, Partner>([[owner.id, owner]]);
  for (const p of history) known.set(p.partner.id, p.partner);
  return channels.map((channel) => {
    const current = new Set(
      history.filter((p) => p.channel.id === channel.id && !p.revokedAt).map((p) => p.partner.id),
    );
    return {
      channel,
      granted: [...known.values()].filter((p) => current.has(p.id)),
      grantable: [...known.values()].filter((p) => !current.has(p.id)),
    };
  });
}

/** Grant or revoke from the hub: the same service, events and audit as the permission page. */
export async function changeAccess(
  em: EntityManager,
  clock: Clock,
  client: Client,
  input: { channelId: string; partnerId: string; action: 'grant' | 'revoke' },
  actor: Actor,
): Promise<void> {
  const access = await channelAccessOf(em, client);
  const entry = access.find((a) => a.channel.id === input.channelId);
  if (!entry) throw new AppError('not_found', `No channel ${input.channelId} for this business`);
  const pool = input.action === 'grant' ? entry.grantable : entry.granted;
  const partner = pool.find((p) => p.id === input.partnerId);
  if (!partner) throw new AppError('not_found', `No partner ${input.partnerId} to ${input.action} here`);
  if (input.action === 'grant') {
    assertClientActive(client, 'grant access to its numbers');
    await grantPermission(em, clock, partner, entry.channel, actor);
  } else await revokePermission(em, clock, partner, entry.channel, actor);
}
