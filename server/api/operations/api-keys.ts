import {
  ApiKeyCreatedSchema,
  ApiKeyCreateSchema,
  ApiKeyListQuerySchema,
  ApiKeyListSchema,
} from '../../../shared/schemas/credentials.ts';
import { toApiKeyCreatedView, toApiKeyView } from '../../modules/api-keys/api-key-view.ts';
import {
  createChannelApiKey,
  listChannelApiKeys,
  revokeChannelApiKey,
} from '../../modules/api-keys/api-keys.service.ts';
import { defineOperation } from '../operation.ts';
import { ApiKeyPath, ChannelPath } from './params.ts';

export const apiKeyOperations = {
  create: defineOperation({
    operationId: 'createApiKey',
    method: 'post',
    path: '/partners/:partner_id/channels/:channel_id/api_keys',
    tag: 'API keys',
    summary: 'Create an API key for a channel',
    description:
      'Needs a current permission on the channel (otherwise 404) and a channel that can send: `live` or `restricted` ' +
      '(otherwise 409 `channel_not_ready`). Your existing keys for the channel are revoked, or keep working for ' +
      '`grace_period_seconds`. The key is shown only in this response.',
    params: ChannelPath,
    body: ApiKeyCreateSchema,
    response: ApiKeyCreatedSchema,
    status: 201,
    errors: ['not_found', 'channel_not_ready', 'idempotency_key_in_progress', 'idempotency_key_reused'],
    handle: async ({ params, body }, { em, deps, partner, actor }) => {
      return toApiKeyCreatedView(
        await createChannelApiKey(
          em,
          deps,
          partner,
          params.channel_id,
          { gracePeriodSeconds: body.grace_period_seconds },
          actor,
        ),
      );
    },
  }),
  list: defineOperation({
    operationId: 'listApiKeys',
    method: 'get',
    path: '/partners/:partner_id/channels/:channel_id/api_keys',
    tag: 'API keys',
    summary: 'List your working API keys for a channel (never the keys themselves), newest first',
    description: 'Keyset-paginated: pass `next_cursor` back as `cursor` until it is null.',
    params: ChannelPath,
    query: ApiKeyListQuerySchema,
    response: ApiKeyListSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params, query }, { em, deps, partner }) => {
      const page = await listChannelApiKeys(em, deps.clock, partner, params.channel_id, query);
      return { api_keys: page.items.map(toApiKeyView), next_cursor: page.nextCursor };
    },
  }),
  revoke: defineOperation({
    operationId: 'revokeApiKey',
    method: 'delete',
    path: '/partners/:partner_id/channels/:channel_id/api_keys/:key_id',
    tag: 'API keys',
    summary: 'Revoke an API key immediately',
    params: ApiKeyPath,
    status: 204,
    errors: ['not_found'],
    handle: async ({ params }, { em, deps, partner, actor }) => {
      await revokeChannelApiKey(em, deps.clock, partner, params.channel_id, params.key_id, actor);
      return undefined;
    },
  }),
};
