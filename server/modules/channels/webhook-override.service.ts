import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { AppError } from '../../errors.ts';
import type { GraphClient } from '../../meta/graph-client.ts';
import { GraphError, toAppError } from '../../meta/graph-error.ts';
import type { MetaApp } from '../../meta/meta-app.ts';
import { targetPolicyOf } from '../../security/ssrf-guard.ts';
import type { UrlPolicy } from '../../security/url-policy.ts';
import { assertWebhookTarget } from '../../security/webhook-host.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { markTokenRefused } from '../messaging/messaging.service.ts';
import { preflightWebhook } from '../onboarding/webhook-preflight.ts';
import type { Partner } from '../partners/partner.entity.ts';
import type { Channel } from './channel.entity.ts';
import { recordChannelUpdated } from './channel-lifecycle.ts';
import { ownedGrant } from './owned-channel.ts';
import { activeSiblings, recordOverride, subscribedToken } from './waba-override.ts';

export interface OverrideDeps {
  graph: GraphClient;
  secretBox: SecretBox;
  clock: Clock;
  meta: MetaApp;
  urlPolicy: UrlPolicy;
}

export interface OverrideChange {
  /** The tenant's callback, or null to send the WABA's messages back to the hub's relay. */
  url: string | null;
  verifyToken?: string | undefined;
  skipPreflight?: boolean | undefined;
}

/**
 * Changes where Meta sends the messages of a channel's WABA, as Meta requires: the new callback
 * answers Meta's verification (checked first, as Meta will), then the app subscribes again with
 * it (Meta replaces the WABA's override). Only the partner the client signed up through may, and
 * only while every other connected number of the WABA is its clients' too (the override is per
 * WABA). Meta is asked before anything is written: if it refuses, nothing changes. Every number
 * of the WABA records the new value, and each one whose value changed gets `channel.updated`.
 */
export async function changeWebhookOverride(
  em: EntityManager,
  deps: OverrideDeps,
  partner: Partner,
  channelId: string,
  change: OverrideChange,
  actor: Actor,
): Promise<Channel> {
  const { grant } = await ownedGrant(em, partner, channelId, "change the number's webhook override");
  const channel = grant.channel;
  const token = subscribedToken(deps.secretBox, channel, 'its WABA subscription cannot be changed');
  const foreign = (await activeSiblings(em, channel.wabaId, channel.phoneNumberId)).filter(
    (c) => c.client.partner.id !== partner.id,
  );
  if (foreign.length > 0) {
    throw new AppError(
      'waba_override_conflict',
      `WABA ${channel.wabaId} has connected numbers of another partner's clients: its override is theirs too`,
      { waba_id: channel.wabaId, channel_ids: foreign.map((c) => c.id) },
    );
  }
  const url = change.url
    ? await assertWebhookTarget(change.url, 'webhook_override_url', deps.urlPolicy)
    : null;
  if (url && !change.skipPreflight) {
    await preflightWebhook(url, change.verifyToken!, targetPolicyOf(deps.urlPolicy));
  }
  const target = url
    ? { callbackUri: url, verifyToken: change.verifyToken! }
    : { callbackUri: deps.meta.callbackUrl, verifyToken: deps.meta.verifyToken };
  try {
    await deps.graph.subscribeApp(channel.wabaId, token, target);
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    if (err.isTokenInvalid) await markTokenRefused(em, deps.clock, channel.id);
    throw toAppError(err, 'override the WABA callback');
  }
  await em.transactional(async (tx) => {
    const before = channel.webhookOverrideUrl ?? null;
    const siblings = await recordOverride(tx, channel, url, partner.id);
    const changed = before !== url ? [channel, ...siblings] : siblings;
    for (const c of changed) await recordChannelUpdated(tx, deps.clock, c, ['webhook_override_url']);
    recordAudit(tx, actor, {
      partner,
      action: 'channel.webhook_override_changed',
      target: { type: 'channel', id: channel.id },
      details: { waba_id: channel.wabaId, overridden: url !== null, channels: changed.length },
    });
  });
  return channel;
}
