import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { GraphClient } from '../../meta/graph-client.ts';
import { getGrantOf } from '../channels/channels.service.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { SEALED, unseal } from '../secrets/sealed-columns.ts';
import { getChannelWebhook } from './channel-webhook-config.service.ts';
import { type ChannelHealth, channelHealth, markTokenRefused } from './messaging.service.ts';

/**
 * A channel's health read with the partner's token: the same report as `/waba/health_status`,
 * for any status, so a failed or disconnected channel (which cannot have a key minted) can be
 * diagnosed. The channel webhook counted is this partner's.
 */
export async function partnerChannelHealth(
  em: EntityManager,
  deps: { graph: GraphClient; secretBox: SecretBox; clock: Clock },
  partner: Partner,
  channelId: string,
): Promise<ChannelHealth> {
  const grant = await getGrantOf(em, partner, channelId);
  const channel = grant.channel;
  const webhook = await getChannelWebhook(em, deps.secretBox, grant.id);
  const { health, tokenRefused } = await channelHealth(
    deps.graph,
    {
      channelId: channel.id,
      phoneNumberId: channel.phoneNumberId,
      status: channel.status,
      statusReason: channel.statusReason ?? null,
      qualityRating: channel.qualityRating ?? null,
      currentLimit: channel.currentLimit ?? null,
      nameStatus: channel.nameStatus ?? null,
      metaToken: channel.metaTokenSealed
        ? unseal(deps.secretBox, SEALED.channelMetaToken, channel.id, channel.metaTokenSealed)
        : null,
      metaTokenInvalid: channel.metaTokenInvalidAt != null,
      wabaSubscribed: channel.wabaSubscribedAt != null,
      webhookOverridden: channel.webhookOverrideUrl != null,
    },
    webhook.url !== null,
  );
  if (tokenRefused) await markTokenRefused(em, deps.clock, channel.id);
  return health;
}
