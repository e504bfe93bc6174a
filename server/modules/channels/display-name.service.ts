import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { GraphClient } from '../../meta/graph-client.ts';
import { GraphError, toAppError } from '../../meta/graph-error.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { markTokenRefused } from '../messaging/messaging.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import type { Channel } from './channel.entity.ts';
import { recordChannelUpdated } from './channel-lifecycle.ts';
import { ownedGrant } from './owned-channel.ts';
import { subscribedToken } from './waba-override.ts';

/** Meta's review state of a requested name until `phone_number_name_update` decides it. */
export const PENDING_REVIEW = 'PENDING_REVIEW';

/**
 * Asks Meta to change the number's display name (`POST /{phone_number_id}?new_display_name=`),
 * as far as Meta allows it: Meta reviews every change (the decision arrives as
 * `phone_number_name_update`, which sets `name_status`, and an approved name becomes
 * `verified_name`) and allows 10 per number in 30 days; it refuses names against its guidelines.
 * A refusal changes nothing here; on success the channel shows the requested name, pending review.
 */
export async function requestDisplayName(
  em: EntityManager,
  deps: { graph: GraphClient; secretBox: SecretBox; clock: Clock },
  partner: Partner,
  channelId: string,
  name: string,
  actor: Actor,
): Promise<Channel> {
  const { grant } = await ownedGrant(em, partner, channelId, "change the number's display name");
  const channel = grant.channel;
  const token = subscribedToken(deps.secretBox, channel, 'its display name cannot be changed');
  try {
    await deps.graph.requestDisplayName(channel.phoneNumberId, token, name);
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    if (err.isTokenInvalid) await markTokenRefused(em, deps.clock, channel.id);
    throw toAppError(err, 'request the display name change');
  }
  await em.transactional(async (tx) => {
    channel.requestedDisplayName = name;
    channel.nameStatus = PENDING_REVIEW;
    await recordChannelUpdated(tx, deps.clock, channel, ['requested_display_name', 'name_status']);
    recordAudit(tx, actor, {
      partner,
      action: 'channel.display_name_requested',
      target: { type: 'channel', id: channel.id },
      details: { requested_display_name: name },
    });
  });
  return channel;
}
