import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { NextCursorSchema, PaginationQuerySchema, TimestampSchema } from './common.ts';
import { safeString } from './safe-text.ts';

export const MessageViewSchema = z
  .object({
    id: idSchema('channelMessage'),
    channel_id: idSchema('channel'),
    direction: z.enum(['inbound', 'outbound']),
    /** Meta's message id (`wamid.…`). */
    wamid: safeString(),
    /** The customer: `wa_id`, or the business-scoped user id when no number is shared. */
    contact: safeString().nullable(),
    type: safeString().nullable(),
    /** `api`, `business_app` (sent from the WhatsApp Business app), `customer`, or `meta` (known from a status only). */
    source: safeString(),
    /** inbound: `received`, `read`; outbound: `accepted`, `sent`, `delivered`, `read`, `failed`. */
    status: safeString(),
    status_at: TimestampSchema,
    error: z.object({ code: z.number().int().nullable(), title: safeString().nullable() }).nullable(),
    /** The message object (Meta's, or the request the app sent), when at most 4 KiB. */
    payload: z.record(safeString(), z.unknown()).nullable(),
    sent_at: TimestampSchema,
  })
  .meta({ id: 'Message' });

export type MessageView = z.infer<typeof MessageViewSchema>;

export const MessageListQuerySchema = PaginationQuerySchema.extend({
  direction: z.enum(['inbound', 'outbound']).optional(),
  contact: safeString()
    .regex(/^[A-Za-z0-9.+_-]{1,128}$/, 'must be a wa_id (digits) or a business-scoped user id')
    .optional(),
  status: safeString()
    .regex(/^[a-z_]{1,16}$/)
    .optional(),
  since: z.iso.datetime().optional().meta({ description: 'Messages sent at or after this time' }),
  until: z.iso.datetime().optional().meta({ description: 'Messages sent before this time' }),
}).strict();

export type MessageListQuery = z.infer<typeof MessageListQuerySchema>;

export const MessagePageSchema = z
  .object({ messages: z.array(MessageViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'MessagePage' });
