import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { CHANNEL_STATUSES } from '../statuses.ts';
import { NextCursorSchema, PaginationQuerySchema, TimestampSchema } from './common.ts';

export const ChannelViewSchema = z
  .object({
    id: idSchema('channel'),
    client_id: idSchema('client'),
    phone_number: z.string().meta({ description: 'Digits only, country code first' }),
    display_name: z.string().nullable(),
    verified_name: z.string().nullable(),
    waba_id: z.string(),
    phone_number_id: z.string(),
    business_id: z.string().nullable(),
    status: z.enum(CHANNEL_STATUSES),
    quality_rating: z.string().nullable(),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'Channel' });

export type ChannelView = z.infer<typeof ChannelViewSchema>;

export const ChannelListQuerySchema = PaginationQuerySchema.extend({
  client_id: z.string().max(64).optional(),
  status: z.enum(CHANNEL_STATUSES).optional(),
  phone_number: z
    .string()
    .regex(/^\+?\d{4,20}$/, 'must be digits with the country code')
    .optional(),
}).strict();

export type ChannelListQuery = z.infer<typeof ChannelListQuerySchema>;

export const ChannelPageSchema = z
  .object({ channels: z.array(ChannelViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'ChannelPage' });
