import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import { Channel } from '../channels/channel.entity.ts';
import type { Client } from '../clients/client.entity.ts';
import { assertClientActive } from '../clients/client-status.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { Permission } from './permission.entity.ts';
import { grantPermission, revokePermission } from './permissions.service.ts';

export interface GrantsOutcome {
  /** Every channel of the client the partner holds now, oldest first. */
  channels: string[];
  granted: string[];
  /** Revoked in this call only. */
  revoked: string[];
}

/** The client's channels (not deleted), oldest first: what the permission screen lists. */
export function channelsOfClient(em: EntityManager, client: Client): Promise<Channel[]> {
  return em.find(Channel, { client, status: { $ne: 'deleted' } }, { orderBy: { id: 'asc' } });
}

export async function grantedChannelIds(
  em: EntityManager,
  partner: Partner,
  client: Client,
): Promise<Set<string>> {
  const grants = await em.find(Permission, { partner, client, revokedAt: null });
  return new Set(grants.map((g) => g.channel.id));
}

/**
 * Makes the partner's access to the client's channels exactly `selected`: grants what is new,
 * revokes what was unticked, with the usual events and audit rows, in one transaction.
 * Ids that are not this client's channels are refused, never silently granted.
 */
export async function setClientGrants(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  client: Client,
  selected: string[],
  actor: Actor,
): Promise<GrantsOutcome> {
  return em.transactional(async (tx) => {
    const channels = await channelsOfClient(tx, client);
    const byId = new Map(channels.map((c) => [c.id, c]));
    const unknown = selected.filter((id) => !byId.has(id));
    if (unknown.length > 0) throw new AppError('not_found', `No channel ${unknown[0]} for this business`);
    const wanted = new Set(selected);
    const before = await grantedChannelIds(tx, partner, client);
    // Unticking is always allowed: a suspended business may still take access away.
    if (selected.some((id) => !before.has(id))) assertClientActive(client, 'grant access to its numbers');
    const granted: string[] = [];
    const revoked: string[] = [];
    for (const channel of channels) {
      if (wanted.has(channel.id) && !before.has(channel.id)) {
        await grantPermission(tx, clock, partner, channel, actor);
        granted.push(channel.id);
      } else if (!wanted.has(channel.id) && before.has(channel.id)) {
        await revokePermission(tx, clock, partner, channel, actor);
        revoked.push(channel.id);
      }
    }
    return { channels: channels.filter((c) => wanted.has(c.id)).map((c) => c.id), granted, revoked };
  });
}
