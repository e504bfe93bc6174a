import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { AppError } from '../../errors.ts';
import { stopSessionOfChannel } from '../../linked-devices/sessions.service.ts';
import type { GraphClient } from '../../meta/graph-client.ts';
import { GraphError, toAppError } from '../../meta/graph-error.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import type { Permission } from '../permissions/permission.entity.ts';
import { SEALED, unseal } from '../secrets/sealed-columns.ts';
import { recordEvents } from '../webhooks/record-events.ts';
import { Channel } from './channel.entity.ts';
import { revokeChannelAccess } from './channel-access.ts';
import { channelAudience, eventForEach, moveChannel } from './channel-lifecycle.ts';
import { ownedGrant } from './owned-channel.ts';

export const PARTNER_DISCONNECT_REASON = 'partner_disconnected';

/**
 * The partner the client signed up through ends the number's connection to the hub: the app's
 * subscription to the WABA is removed at Meta when no other connected number of the hub uses
 * that WABA (Meta's subscription is per WABA, so a sibling would go deaf), then, in one
 * transaction, the channel becomes `disconnected`, every key and grant is revoked, and
 * `channel.disconnected` goes to everyone who heard of the channel. The record stays (a later
 * signup of the number reconnects it). Meta is asked first: if it cannot be reached nothing
 * changes and the call can be repeated; a token Meta already refuses needs no unsubscribing.
 * A channel Meta disconnected (a ban keeps its grants) can be disconnected too: it ends the same.
 */
export async function disconnectChannel(
  em: EntityManager,
  deps: { graph: GraphClient; secretBox: SecretBox; clock: Clock },
  partner: Partner,
  channelId: string,
  actor: Actor,
): Promise<{ channel: Channel; grant: Permission }> {
  const { grant, client } = await ownedGrant(em, partner, channelId, 'disconnect this number');
  const channel = grant.channel;
  if (channel.status === 'deleted') throw new AppError('not_found', `No channel ${channelId}`);

  const unsubscribed = await unsubscribeIfLast(em, deps, channel);
  await em.transactional(async (tx) => {
    const audience = await channelAudience(tx, channel);
    moveChannel(channel, 'disconnected', PARTNER_DISCONNECT_REASON);
    if (unsubscribed) channel.wabaSubscribedAt = null;
    const data = {
      channel_id: channel.id,
      client_id: client.id,
      phone_number: channel.phoneNumber,
      waba_id: channel.wabaId,
      reason: PARTNER_DISCONNECT_REASON,
      unsubscribed,
    };
    await recordEvents(tx, deps.clock, eventForEach(audience, channel, 'channel.disconnected', data));
    recordAudit(tx, actor, {
      partner,
      action: 'channel.disconnected',
      target: { type: 'channel', id: channel.id },
      details: { unsubscribed },
    });
    await revokeChannelAccess(tx, deps.clock, [channel], actor);
    if (channel.connectionType === 'linked_device') await stopSessionOfChannel(tx, deps.clock, channel);
  });
  return { channel, grant };
}

/** Removes the app's WABA subscription unless another connected channel of the hub shares the WABA. */
async function unsubscribeIfLast(
  em: EntityManager,
  deps: { graph: GraphClient; secretBox: SecretBox },
  channel: Channel,
): Promise<boolean> {
  if (!channel.wabaSubscribedAt || !channel.metaTokenSealed) return false;
  const siblings = await em.count(Channel, {
    wabaId: channel.wabaId,
    id: { $ne: channel.id },
    status: { $nin: ['disconnected', 'deleted', 'failed'] },
  });
  if (siblings > 0) return false;
  const token = unseal(deps.secretBox, SEALED.channelMetaToken, channel.id, channel.metaTokenSealed);
  try {
    await deps.graph.unsubscribeApp(channel.wabaId, token);
    return true;
  } catch (err) {
    if (err instanceof GraphError && err.isTokenInvalid) return false;
    if (err instanceof GraphError) throw toAppError(err, 'unsubscribe the app from the WABA');
    throw err;
  }
}
