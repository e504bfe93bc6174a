import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { graceSeconds, NextCursorSchema, PaginationQuerySchema, TimestampSchema } from './common.ts';
import { safeString } from './safe-text.ts';

export const ApiKeyCreateSchema = z
  .strictObject({
    grace_period_seconds: graceSeconds(
      7 * 24 * 3600,
      "How long this partner's existing keys for the channel keep working. 0 (default) revokes them now.",
    ).optional(),
  })
  .meta({ id: 'ApiKeyCreate' });

export const ApiKeyCreatedSchema = z
  .object({
    id: idSchema('channelApiKey'),
    api_key: safeString().meta({ description: 'Shown only in this response' }),
    address: safeString().meta({ description: 'Base URL of the messaging API this key unlocks' }),
    created_at: TimestampSchema,
  })
  .meta({ id: 'ApiKeyCreated' });

export const ApiKeyViewSchema = z
  .object({
    id: idSchema('channelApiKey'),
    prefix: safeString(),
    last4: safeString(),
    created_at: TimestampSchema,
    expires_at: TimestampSchema.nullable().meta({
      description: 'Set while a replaced key is in its grace window',
    }),
    last_used_at: TimestampSchema.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const ApiKeyListQuerySchema = PaginationQuerySchema.strict();

export const ApiKeyListSchema = z
  .object({ api_keys: z.array(ApiKeyViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'ApiKeyList' });

export const TokenRotateSchema = z
  .strictObject({
    grace_period_seconds: graceSeconds(
      30 * 24 * 3600,
      'How long the existing tokens keep working (default 86400; 0 ends them now)',
    ).optional(),
  })
  .meta({ id: 'TokenRotate' });

export const TokenCreatedSchema = z
  .object({
    id: idSchema('partnerToken'),
    token: safeString().meta({ description: 'Shown only in this response' }),
    last4: safeString(),
    created_at: TimestampSchema,
    previous_tokens_expire_at: TimestampSchema,
  })
  .meta({ id: 'TokenCreated' });

export const TokenViewSchema = z
  .object({
    id: idSchema('partnerToken'),
    prefix: safeString(),
    last4: safeString(),
    created_at: TimestampSchema,
    expires_at: TimestampSchema.nullable(),
    last_used_at: TimestampSchema.nullable(),
  })
  .meta({ id: 'Token' });

export const TokenListQuerySchema = PaginationQuerySchema.strict();

export const TokenListSchema = z
  .object({ tokens: z.array(TokenViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'TokenList' });
