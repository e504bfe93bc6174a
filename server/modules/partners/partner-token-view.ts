import type { z } from 'zod';
import type { TokenViewSchema } from '../../../shared/schemas/credentials.ts';
import { TOKEN_PREFIXES } from '../../crypto/tokens.ts';
import type { PartnerToken } from './partner-token.entity.ts';

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
