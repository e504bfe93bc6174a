import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { LINKED_DEVICE_STATUSES } from '../statuses.ts';
import { NextCursorSchema, PaginationQuerySchema, TimestampSchema } from './common.ts';
import { safeString } from './safe-text.ts';

/** WhatsApp's pairing-code flow wants the number as digits with its country code, nothing else. */
const PairingPhoneNumberSchema = safeString()
  .regex(/^[1-9]\d{5,19}$/, 'must be the phone number as digits with its country code (no +, no spaces)')
  .meta({
    description:
      'Pair by an 8-character code typed on this phone instead of scanning a QR code: digits with the ' +
      'country code, no `+` (e.g. `4915112345678`)',
  });

export const LinkedDeviceSessionCreateSchema = z
  .object({
    name: safeString().min(1).max(200).optional().meta({ description: 'Your label for the session' }),
    pairing_phone_number: PairingPhoneNumberSchema.optional(),
  })
  .strict()
  .meta({ id: 'LinkedDeviceSessionCreate' });

export const LinkedDeviceRestartSchema = z
  .object({
    pairing_phone_number: PairingPhoneNumberSchema.nullable().optional().meta({
      description: 'Pair by code on this number this time; null: by QR again; absent: as before',
    }),
  })
  .strict()
  .meta({ id: 'LinkedDeviceSessionRestart' });

const statusSchema = z.enum(LINKED_DEVICE_STATUSES);

export const LinkedDeviceSessionViewSchema = z
  .object({
    id: idSchema('linkedDeviceSession'),
    client_id: safeString(),
    /** The `linked_device` channel: keys, webhooks and permissions go by it. */
    channel_id: safeString(),
    name: safeString().nullable(),
    status: statusSchema,
    /** Why it is DISCONNECTED or LOGGED_OUT (`qr_timeout`, `connection_lost`, `logged_out`, …). */
    status_reason: safeString().nullable(),
    /** The QR payload on show (status QR only); render it yourself, or ask `…/qr` for an image. */
    qr: safeString().nullable(),
    pairing_code: safeString().nullable(),
    pairing_expires_at: TimestampSchema.nullable(),
    pairing_phone_number: safeString().nullable(),
    phone_number: safeString().nullable(),
    push_name: safeString().nullable(),
    connected_at: TimestampSchema.nullable(),
    health: z
      .object({
        state: z.enum(['healthy', 'unresponsive', 'unowned', 'offline']),
        last_activity_at: TimestampSchema.nullable(),
        last_probe_at: TimestampSchema.nullable(),
        last_probe_ok: z.boolean().nullable(),
        last_message_at: TimestampSchema.nullable(),
      })
      .meta({
        description:
          '`healthy`: connected and answering probes; `unresponsive`: says connected, but probes or traffic ' +
          'stopped; `unowned`: no worker holds it now (being taken over); `offline`: not connected',
      }),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'LinkedDeviceSession' });
export type LinkedDeviceSessionView = z.infer<typeof LinkedDeviceSessionViewSchema>;

export const LinkedDeviceSessionListQuerySchema = PaginationQuerySchema.extend({
  client_id: safeString().max(64).optional(),
  status: statusSchema.optional(),
}).strict();

export const LinkedDeviceSessionPageSchema = z
  .object({ linked_device_sessions: z.array(LinkedDeviceSessionViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'LinkedDeviceSessionPage' });

export const LinkedDeviceQrSchema = z
  .object({
    qr: safeString().nullable().meta({ description: 'The QR payload (null when pairing by code)' }),
    pairing_code: safeString().nullable(),
    expires_at: TimestampSchema.nullable(),
    png_data_url: safeString()
      .nullable()
      .meta({ description: 'The QR code as a `data:image/png;base64,…` URL, for an `<img>`' }),
    svg: safeString().nullable().meta({ description: 'The QR code as an SVG document' }),
  })
  .meta({ id: 'LinkedDeviceQr' });
