import type { z } from 'zod';
import type { ApiKeyCreatedSchema, ApiKeyViewSchema } from '../../../shared/schemas/credentials.ts';
import { TOKEN_PREFIXES } from '../../crypto/tokens.ts';
import type { CreatedApiKey } from './api-keys.service.ts';
import type { ChannelApiKey } from './channel-api-key.entity.ts';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

export function toApiKeyView(key: ChannelApiKey): z.infer<typeof ApiKeyViewSchema> {
  return {
    id: key.id,
    prefix: TOKEN_PREFIXES.channelApiKey,
    last4: key.last4,
    created_at: key.createdAt.toISOString(),
    expires_at: iso(key.expiresAt),
    last_used_at: iso(key.lastUsedAt),
  };
}

export function toApiKeyCreatedView(created: CreatedApiKey): z.infer<typeof ApiKeyCreatedSchema> {
  return {
    id: created.record.id,
    api_key: created.apiKey,
    address: created.address,
    created_at: created.record.createdAt.toISOString(),
  };
}
