import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { LINKED_DEVICE_STATUSES } from '../statuses.ts';
import { PaginationQuerySchema, TimestampSchema } from './common.ts';
import { safeString } from './safe-text.ts';

/*
 * whathooks' `/v1` bodies (camelCase, its statuses), as the router validates and answers them
 * and as `/v1/openapi.json` documents them (docs/linked-devices.md, "whathooks migration mapping").
 */

export const WhathooksSessionCreateSchema = z
  .strictObject({
    name: safeString().trim().min(1).max(200).optional().meta({ description: 'Your label for the session' }),
    clientId: safeString().min(1).max(64).optional().meta({
      description: 'The hub client the number belongs to; without it, a new client named after the session',
    }),
    pairingPhoneNumber: safeString()
      .regex(/^\d{6,20}$/, 'digits with the country code')
      .optional()
      .meta({
        description: 'Pair by a code typed on this phone (digits with the country code) instead of a QR code',
      }),
  })
  .meta({ id: 'WhathooksSessionCreate' });

export const WhathooksMessageSendSchema = z
  .strictObject({
    sessionId: safeString().min(1).max(64),
    to: safeString()
      .min(1)
      .max(64)
      .meta({ description: 'Digits with the country code (no +), or a full WhatsApp JID' }),
    text: safeString().max(65_536),
  })
  .meta({ id: 'WhathooksMessageSend' });

export const WhathooksSessionListQuerySchema = PaginationQuerySchema.strict();

export const WhathooksMessageListQuerySchema = PaginationQuerySchema.extend({
  sessionId: safeString().min(1).max(64).optional().meta({ description: 'Only this session’s messages' }),
}).strict();

export const WhathooksSessionIdParamsSchema = z.object({
  id: safeString().max(64).meta({ description: 'The session id (`sess_…`)' }),
});

const NextCursor = safeString()
  .nullable()
  .meta({ description: 'Pass as `cursor` for the next page; null on the last' });

export const WhathooksSessionSchema = z
  .object({
    id: idSchema('linkedDeviceSession'),
    name: safeString().nullable(),
    status: z.enum(LINKED_DEVICE_STATUSES),
    statusReason: safeString().nullable(),
    phoneNumber: safeString().nullable(),
    pushName: safeString().nullable(),
    qr: safeString().nullable().meta({ description: 'The string the QR code encodes (status QR only)' }),
    pairingCode: safeString().nullable(),
    qrExpiresAt: TimestampSchema.nullable(),
    health: z.enum(['healthy', 'unresponsive', 'unowned', 'offline']),
    connectedAt: TimestampSchema.nullable(),
    lastMessageAt: TimestampSchema.nullable(),
    clientId: idSchema('client').meta({ description: 'The hub client the number belongs to' }),
    channelId: idSchema('channel').meta({
      description: 'The hub channel: keys, webhooks and permissions go by it',
    }),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .strict()
  .meta({ id: 'WhathooksSession' });

export const WhathooksSessionPageSchema = z
  .object({ sessions: z.array(WhathooksSessionSchema), nextCursor: NextCursor })
  .strict()
  .meta({ id: 'WhathooksSessionPage' });

export const WhathooksMessageSentSchema = z
  .object({
    id: idSchema('channelMessage').meta({
      description: 'The message-log id `GET /v1/messages` lists it under',
    }),
    waMessageId: safeString(),
    sessionId: idSchema('linkedDeviceSession'),
    to: safeString().meta({ description: 'The digits it went to' }),
    status: z.literal('sent'),
  })
  .strict()
  .meta({ id: 'WhathooksMessageSent' });

/** Beyond whathooks' fields: a reaction's target and emoji (null: removed), on `type: reaction`. */
export const WhathooksReactionSchema = z
  .object({ messageId: safeString().nullable(), emoji: safeString().nullable() })
  .strict()
  .meta({ id: 'WhathooksReaction' });

/** Beyond whathooks' fields: a pinned location, on `type: location`. */
export const WhathooksLocationSchema = z
  .object({
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    name: safeString().nullable(),
    address: safeString().nullable(),
  })
  .strict()
  .meta({ id: 'WhathooksLocation' });

export const WhathooksMessageSchema = z
  .object({
    id: idSchema('channelMessage'),
    sessionId: idSchema('linkedDeviceSession'),
    direction: z.enum(['inbound', 'outbound']),
    from: safeString().nullable().meta({ description: 'The sender, for received messages' }),
    to: safeString().nullable().meta({ description: 'The recipient, for sent messages' }),
    type: safeString().nullable(),
    text: safeString().nullable(),
    waMessageId: safeString(),
    status: safeString(),
    timestamp: TimestampSchema,
    reaction: WhathooksReactionSchema.optional(),
    location: WhathooksLocationSchema.optional(),
  })
  .strict()
  .meta({ id: 'WhathooksMessage' });

export const WhathooksMessagePageSchema = z
  .object({ messages: z.array(WhathooksMessageSchema), nextCursor: NextCursor })
  .strict()
  .meta({ id: 'WhathooksMessagePage' });
