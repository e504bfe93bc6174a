import type { z } from 'zod';
import type { TokenCreatedSchema, TokenViewSchema } from '../../../shared/schemas/credentials.ts';
import { TOKEN_PREFIXES } from '../../crypto/tokens.ts';
import type { PartnerToken } from './partner-token.entity.ts';
import type { IssuedToken } from './partner-tokens.service.ts';

export function toTokenView(token: PartnerToken): z.infer<typeof TokenViewSchema> {
  return {
    id: token.id,
    prefix: TOKEN_PREFIXES.partnerToken,
    last4: token.last4,
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt?.toISOString() ?? null,
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
  };
}

export function toTokenCreatedView(issued: IssuedToken): z.infer<typeof TokenCreatedSchema> {
  return {
    id: issued.record.id,
    token: issued.token,
    last4: issued.record.last4,
    created_at: issued.record.createdAt.toISOString(),
    previous_tokens_expire_at: (issued.previousTokensExpireAt ?? issued.record.createdAt).toISOString(),
  };
}
