import {
  ChannelGrantListQuerySchema,
  ChannelGrantPageSchema,
  ChannelHealthSchema,
  ChannelListQuerySchema,
  ChannelPageSchema,
  ChannelUpdateSchema,
  ChannelViewSchema,
  RevealedSecretsSchema,
  RevealSecretsBodySchema,
} from '../../../shared/schemas/channel.ts';
import { MessageListQuerySchema, MessagePageSchema } from '../../../shared/schemas/messages.ts';
import { toChannelView } from '../../modules/channels/channel-view.ts';
import {
  getGrantOf,
  listChannelsGrantedTo,
  updateChannelGrant,
} from '../../modules/channels/channels.service.ts';
import { disconnectChannel } from '../../modules/channels/disconnect.service.ts';
import { requestDisplayName } from '../../modules/channels/display-name.service.ts';
import { revealChannelSecrets } from '../../modules/channels/reveal-secrets.service.ts';
import { changeWebhookOverride } from '../../modules/channels/webhook-override.service.ts';
import { listChannelMessages, toMessagePage } from '../../modules/messages/message-read.service.ts';
import { partnerChannelHealth } from '../../modules/messaging/partner-channel-health.ts';
import { listGrantHistory } from '../../modules/permissions/grant-history.service.ts';
import { defineOperation } from '../operation.ts';
import { ChannelPath, PartnerPath } from './params.ts';

export const channelOperations = {
  list: defineOperation({
    operationId: 'listChannels',
    method: 'get',
    path: '/partners/:partner_id/channels',
    tag: 'Channels',
    summary: 'List the channels your clients currently grant you, newest first',
    params: PartnerPath,
    query: ChannelListQuerySchema,
    response: ChannelPageSchema,
    status: 200,
    errors: [],
    handle: async ({ query }, { em, partner }) => {
      const page = await listChannelsGrantedTo(em, partner, query);
      return { channels: page.items.map((g) => toChannelView(g.channel, g)), next_cursor: page.nextCursor };
    },
  }),
  get: defineOperation({
    operationId: 'getChannel',
    method: 'get',
    path: '/partners/:partner_id/channels/:channel_id',
    tag: 'Channels',
    summary: 'Get one channel you hold permission for',
    params: ChannelPath,
    response: ChannelViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params }, { em, partner }) => {
      const grant = await getGrantOf(em, partner, params.channel_id);
      return toChannelView(grant.channel, grant);
    },
  }),
  update: defineOperation({
    operationId: 'updateChannel',
    method: 'patch',
    path: '/partners/:partner_id/channels/:channel_id',
    tag: 'Channels',
    summary: "Change a channel's webhook override or display name, or your metadata on it",
    description:
      "`metadata` lives on your grant (it starts as the onboarding session's): only you see it, and it " +
      'goes when your access does. `webhook_override_url` (with `webhook_verify_token`) moves where Meta ' +
      "sends the messages of the channel's WABA: the URL must answer Meta's verification (GET with " +
      '`hub.challenge`, 422 `webhook_preflight_failed` otherwise), then the app subscribes again at Meta; ' +
      '`null` sends them back to the hub. Only the partner the client signed up through may change it (403), ' +
      'and the override is per WABA: every number of the WABA gets it and `channel.updated`; a WABA with ' +
      "another partner's numbers answers 409 `waba_override_conflict`. `display_name` asks Meta to change the " +
      "number's display name (Meta reviews it: `name_status` PENDING_REVIEW until `phone_number_name_update`; " +
      '10 changes per 30 days; owner partner only). Fields not sent are kept; `null` clears.',
    params: ChannelPath,
    body: ChannelUpdateSchema,
    response: ChannelViewSchema,
    status: 200,
    errors: [
      'not_found',
      'forbidden',
      'channel_not_ready',
      'waba_override_conflict',
      'webhook_preflight_failed',
      'webhook_url_not_allowed',
      'meta_error',
      'meta_unavailable',
      'meta_token_expired',
    ],
    handle: async ({ params, body }, { em, deps, partner, actor }) => {
      if (body.webhook_override_url !== undefined) {
        const change = {
          url: body.webhook_override_url,
          verifyToken: body.webhook_verify_token,
          skipPreflight: body.skip_webhook_preflight,
        };
        await changeWebhookOverride(em, deps, partner, params.channel_id, change, actor);
      }
      if (body.display_name !== undefined) {
        await requestDisplayName(em, deps, partner, params.channel_id, body.display_name, actor);
      }
      const grant = await updateChannelGrant(em, partner, params.channel_id, body, actor);
      return toChannelView(grant.channel, grant);
    },
  }),
  disconnect: defineOperation({
    operationId: 'disconnectChannel',
    method: 'post',
    path: '/partners/:partner_id/channels/:channel_id/disconnect',
    tag: 'Channels',
    summary: 'Disconnect a number from the hub (the partner its client signed up through only)',
    description:
      "Removes the app's WABA subscription at Meta unless another connected number shares the WABA, " +
      'moves the channel to `disconnected` (the record stays), revokes every key and grant of it, and ' +
      'sends `channel.disconnected`; the partner then no longer holds it (404). Another partner ' +
      'holding the number gets 403 `forbidden`; if Meta cannot be reached nothing changes (502/503).',
    params: ChannelPath,
    response: ChannelViewSchema,
    status: 200,
    errors: ['not_found', 'forbidden', 'meta_error', 'meta_unavailable', 'meta_token_expired'],
    handle: async ({ params }, { em, deps, partner, actor }) => {
      const { channel, grant } = await disconnectChannel(em, deps, partner, params.channel_id, actor);
      return toChannelView(channel, grant);
    },
  }),
  health: defineOperation({
    operationId: 'getChannelHealth',
    method: 'get',
    path: '/partners/:partner_id/channels/:channel_id/health',
    tag: 'Channels',
    summary: 'Health of a channel you hold, in any status: can it send and receive, and why not',
    description:
      'The report of `/waba/health_status`, read with your partner token, so a `failed` or `disconnected` ' +
      "channel (for which no key can be minted) can be diagnosed. Meta is asked live for the number's health.",
    params: ChannelPath,
    response: ChannelHealthSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params }, { em, deps, partner }) =>
      partnerChannelHealth(em, deps, partner, params.channel_id),
  }),
  grants: defineOperation({
    operationId: 'listChannelGrants',
    method: 'get',
    path: '/partners/:partner_id/channels/:channel_id/grants',
    tag: 'Channels',
    summary: 'Your grant history of a channel: when its client granted and revoked your access, and who',
    description:
      'Newest first, keyset-paginated. Each grant is a row: `revoked_at` is null while it is current, and a ' +
      'later grant (the client granting again, Meta giving the WABA back) is a new row. `granted_by` and ' +
      '`revoked_by` name who acted: `type` comes from the audit log (null once retention removed it), `id` ' +
      '(a client user, token, console user, `meta:…`) is kept with the grant. Only your own grants are ' +
      'listed, also after your access was revoked; a channel you never held is 404.',
    params: ChannelPath,
    query: ChannelGrantListQuerySchema,
    response: ChannelGrantPageSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params, query }, { em, partner }) => {
      const page = await listGrantHistory(em, partner, params.channel_id, query);
      return { grants: page.items, next_cursor: page.nextCursor };
    },
  }),
  messages: defineOperation({
    operationId: 'listChannelMessages',
    method: 'get',
    path: '/partners/:partner_id/channels/:channel_id/messages',
    tag: 'Channels',
    summary: "A channel's message log: inbound and outbound messages with their last status, newest first",
    description:
      'Customer messages, messages sent through the messaging API, and (coexistence) messages sent from ' +
      "the WhatsApp Business app, each with Meta's last status (never moved backwards). Filter by " +
      '`direction`, `contact`, `status` and a time range on `sent_at`; keyset pages. Kept as long as events ' +
      '(`EVENT_RETENTION_DAYS`). The same log is `GET /waba/v1/messages` with the channel key.',
    params: ChannelPath,
    query: MessageListQuerySchema,
    response: MessagePageSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params, query }, { em, partner }) => {
      const grant = await getGrantOf(em, partner, params.channel_id);
      return toMessagePage(await listChannelMessages(em, grant.channel.id, query));
    },
  }),
  revealSecrets: defineOperation({
    operationId: 'revealChannelSecrets',
    method: 'post',
    path: '/partners/:partner_id/channels/:channel_id/reveal_secrets',
    tag: 'Channels',
    summary: "Reveal the channel's Meta business token (audited, not cacheable)",
    description:
      'For partners that call Graph directly. Every reveal is written to the audit log before the ' +
      'response is sent; the response carries `Cache-Control: no-store`, and reveals have their own ' +
      'hourly budget per partner (`RATE_LIMIT_REVEAL_PER_HOUR`, default 60). `Idempotency-Key` is ' +
      'ignored: the answer is never stored for a replay.',
    params: ChannelPath,
    body: RevealSecretsBodySchema,
    response: RevealedSecretsSchema,
    status: 200,
    sensitive: true,
    errors: ['not_found'],
    handle: async ({ params, body }, { em, deps, partner, actor }) =>
      revealChannelSecrets(em, deps, partner, params.channel_id, body.secret_types, actor),
  }),
};
