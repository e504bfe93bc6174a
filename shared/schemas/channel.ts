import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { CHANNEL_STATUSES, CONNECTION_TYPES } from '../statuses.ts';
import { NextCursorSchema, PaginationQuerySchema, TimestampSchema } from './common.ts';
import { safeString } from './safe-text.ts';

export const ChannelViewSchema = z
  .object({
    id: idSchema('channel'),
    client_id: idSchema('client'),
    phone_number: safeString().meta({ description: 'Digits only, country code first' }),
    display_name: safeString().nullable(),
    verified_name: safeString().nullable(),
    waba_id: safeString(),
    phone_number_id: safeString(),
    business_id: safeString().nullable(),
    status: z.enum(CHANNEL_STATUSES),
    /** Why the channel is failed or disconnected: a hub error code or Meta's account event. */
    status_reason: safeString().nullable(),
    connection_type: z.enum(CONNECTION_TYPES),
    quality_rating: safeString().nullable(),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'Channel' });

export type ChannelView = z.infer<typeof ChannelViewSchema>;

export const ChannelListQuerySchema = PaginationQuerySchema.extend({
  client_id: safeString().max(64).optional(),
  status: z.enum(CHANNEL_STATUSES).optional(),
  phone_number: safeString()
    .regex(/^\+?\d{4,20}$/, 'must be digits with the country code')
    .optional(),
}).strict();

export type ChannelListQuery = z.infer<typeof ChannelListQuerySchema>;

export const ChannelPageSchema = z
  .object({ channels: z.array(ChannelViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'ChannelPage' });

export const RevealSecretsBodySchema = z
  .object({
    secret_types: z
      .array(z.enum(['access_token', 'registration_pin']))
      .min(1)
      .max(2)
      .meta({
        description: '`access_token`: the business token; `registration_pin`: the two-step verification PIN',
      }),
  })
  .strict()
  .meta({ id: 'RevealSecretsRequest' });

export const RevealedSecretsSchema = z
  .object({
    channel_id: idSchema('channel'),
    secrets: z.object({
      access_token: safeString().nullable().optional(),
      registration_pin: safeString().nullable().optional(),
    }),
    revealed_at: TimestampSchema,
  })
  .meta({ id: 'RevealedSecrets' });
