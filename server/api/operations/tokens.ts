import {
  TokenCreatedSchema,
  TokenListQuerySchema,
  TokenListSchema,
  TokenRotateSchema,
} from '../../../shared/schemas/credentials.ts';
import { toTokenCreatedView, toTokenView } from '../../modules/partners/partner-token-view.ts';
import {
  assertMayManageTokens,
  DEFAULT_TOKEN_GRACE_SECONDS,
  listPartnerTokens,
  revokePartnerToken,
  rotatePartnerToken,
} from '../../modules/partners/partner-tokens.service.ts';
import { defineOperation } from '../operation.ts';
import { PartnerPath, TokenPath } from './params.ts';

export const tokenOperations = {
  rotate: defineOperation({
    operationId: 'rotatePartnerToken',
    method: 'post',
    path: '/partners/:partner_id/tokens',
    tag: 'Partner tokens',
    summary: 'Issue a new partner token (rotation)',
    description:
      'The existing tokens keep working for `grace_period_seconds` (default 86400, 0 ends them now), never longer than they already would. At most `PARTNER_TOKENS_MAX` (default 10) tokens work at once: `409 too_many_tokens`. The new token is shown only in this response. A superseded token (in its grace window) cannot rotate: `403 token_superseded`.',
    params: PartnerPath,
    body: TokenRotateSchema,
    response: TokenCreatedSchema,
    status: 201,
    guard: ({ em, deps, actor }) => assertMayManageTokens(em, deps.clock, actor),
    errors: ['token_superseded', 'too_many_tokens'],
    handle: async ({ body }, { em, deps, partner, actor }) => {
      const grace = body.grace_period_seconds ?? DEFAULT_TOKEN_GRACE_SECONDS;
      const max = deps.config.maxLiveTokensPerPartner;
      return toTokenCreatedView(await rotatePartnerToken(em, deps.clock, partner, actor, grace, max));
    },
  }),
  list: defineOperation({
    operationId: 'listPartnerTokens',
    method: 'get',
    path: '/partners/:partner_id/tokens',
    tag: 'Partner tokens',
    summary: 'List the tokens that currently work (metadata only), newest first',
    description: 'Keyset-paginated: pass `next_cursor` back as `cursor` until it is null.',
    params: PartnerPath,
    query: TokenListQuerySchema,
    response: TokenListSchema,
    status: 200,
    errors: [],
    handle: async ({ query }, { em, deps, partner }) => {
      const page = await listPartnerTokens(em, deps.clock, partner, query);
      return { tokens: page.items.map(toTokenView), next_cursor: page.nextCursor };
    },
  }),
  revoke: defineOperation({
    operationId: 'revokePartnerToken',
    method: 'delete',
    path: '/partners/:partner_id/tokens/:token_id',
    tag: 'Partner tokens',
    summary: 'Revoke a partner token immediately',
    description: 'A superseded token (in its grace window) cannot revoke tokens: `403 token_superseded`.',
    params: TokenPath,
    status: 204,
    errors: ['not_found', 'token_superseded'],
    handle: async ({ params }, { em, deps, partner, actor }) => {
      await revokePartnerToken(em, deps.clock, partner, params.token_id, actor);
      return undefined;
    },
  }),
};
