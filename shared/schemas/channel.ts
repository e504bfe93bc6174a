import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { AUDIT_ACTOR_TYPES, CHANNEL_CONNECTION_TYPES, CHANNEL_STATUSES } from '../statuses.ts';
import { NextCursorSchema, PaginationQuerySchema, TimestampSchema, UrlInputSchema } from './common.ts';
import { safeJsonRecord, safeString } from './safe-text.ts';

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
    connection_type: z.enum(CHANNEL_CONNECTION_TYPES),
    /** Meta's quality rating of the number: GREEN, YELLOW, RED or UNKNOWN (kept current by Meta's webhooks). */
    quality_rating: safeString().nullable(),
    /** The messaging limit tier: TIER_250, TIER_2K, TIER_10K, TIER_100K, TIER_UNLIMITED, … */
    current_limit: safeString().nullable(),
    /** The business portfolio's `max_phone_numbers_per_business`. */
    max_phone_numbers: z.number().int().nullable(),
    /** Meta's last decision on the display name: APPROVED, REJECTED, DEFERRED, …, or PENDING_REVIEW after a change request. */
    name_status: safeString().nullable(),
    /** The last display name change requested through the hub (an approved one becomes `verified_name`). */
    requested_display_name: safeString().nullable(),
    /**
     * Coexistence numbers: the last activity the hub saw from the WhatsApp Business app (null for
     * Cloud API numbers, and until the first). The app must be opened every ~13 days.
     */
    business_app_seen_at: TimestampSchema.nullable(),
    /** Your onboarding session's `tenant_id` for the number (null if it was connected otherwise). */
    tenant_id: safeString().nullable(),
    /** Your onboarding session's `metadata`, kept on your grant of the channel; only you see it. */
    metadata: z.record(safeString(), z.unknown()).nullable(),
    /**
     * Meta sends this WABA's messages to a tenant's own callback instead of the hub (an override is
     * per WABA: every number of the WABA shares it). Lifecycle events still reach the hub.
     */
    webhook_overridden: z.boolean(),
    /** The override callback, shown only to the partner that set it (null otherwise, or when none). */
    webhook_override_url: safeString().nullable(),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'Channel' });

export type ChannelView = z.infer<typeof ChannelViewSchema>;

const capability = z.boolean();

export const ChannelHealthSchema = z
  .object({
    channel_id: idSchema('channel'),
    phone_number_id: safeString(),
    status: z.enum(CHANNEL_STATUSES),
    status_reason: safeString().nullable(),
    quality_rating: safeString().nullable(),
    current_limit: safeString().nullable(),
    name_status: safeString().nullable(),
    can_send_messages: capability,
    /**
     * True when Meta delivers the number's messages somewhere they are read: to the hub with a channel
     * webhook to relay them to, or to the tenant's override callback.
     */
    can_receive_messages: capability,
    capabilities: z.object({ can_send_messages: capability, can_receive_messages: capability }),
    /** Why a capability is off, as stable codes (`status_failed`, `token_invalid`, `webhook_not_configured`, …). */
    reasons: z.array(safeString()),
    webhook_configured: z.boolean(),
    /** Meta sends the number's messages to the tenant's override callback (not through the hub). */
    webhook_overridden: z.boolean(),
    /** Meta's own `health_status` for the number, when Meta could be asked. */
    meta_health_status: z.record(safeString(), z.unknown()).nullable(),
  })
  .meta({ id: 'ChannelHealth' });

/** At most 4 KiB of JSON, as an onboarding session's metadata. */
const CHANNEL_METADATA_MAX_BYTES = 4096;

export const ChannelUpdateSchema = z
  .object({
    metadata: safeJsonRecord()
      .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= CHANNEL_METADATA_MAX_BYTES, {
        message: `must be at most ${CHANNEL_METADATA_MAX_BYTES} bytes of JSON`,
      })
      .nullable()
      .optional()
      .meta({ description: 'Your metadata on the channel (on your grant; only you see it); null clears it' }),
    webhook_override_url: UrlInputSchema.nullable()
      .optional()
      .meta({
        description:
          "The tenant's own Meta webhook for the channel's WABA (every number of the WABA shares it); null sends " +
          "the WABA's messages back to the hub. Checked as Meta does (GET with hub.challenge), then subscribed at Meta",
      }),
    webhook_verify_token: safeString().min(1).max(200).optional(),
    skip_webhook_preflight: z.boolean().optional(),
    display_name: safeString()
      .trim()
      .min(3)
      .max(512)
      .optional()
      .meta({
        description:
          "A new display name for the number: Meta reviews it (`name_status` becomes PENDING_REVIEW, then Meta's " +
          'decision), at most 10 changes per 30 days',
      }),
  })
  .strict()
  .refine((b) => !b.webhook_override_url || b.webhook_verify_token, {
    message: 'webhook_verify_token is required with webhook_override_url',
    path: ['webhook_verify_token'],
  });

export type ChannelUpdate = z.infer<typeof ChannelUpdateSchema>;

export const ChannelListQuerySchema = PaginationQuerySchema.extend({
  client_id: safeString().max(64).optional(),
  /** The numbers of one WABA (they share its subscription and webhook override). */
  waba_id: safeString().min(1).max(64).optional(),
  status: z.enum(CHANNEL_STATUSES).optional(),
  phone_number: safeString()
    .regex(/^\+?\d{4,20}$/, 'must be digits with the country code')
    .optional(),
  quality_rating: safeString()
    .regex(/^[A-Z]{1,16}$/, 'must be a quality rating such as GREEN, YELLOW, RED')
    .optional(),
  current_limit: safeString()
    .regex(/^TIER_[A-Z0-9_]{1,20}$/, 'must be a messaging limit tier such as TIER_2K')
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

const GrantActorSchema = z
  .object({
    /** Who acted, when the audit log still says (it is kept `AUDIT_RETENTION_DAYS`); null otherwise. */
    type: z.enum(AUDIT_ACTOR_TYPES).nullable(),
    /** The credential or user that acted (a client user, a token, a console user, `meta:…` for Meta). */
    id: safeString().nullable(),
  })
  .meta({ id: 'ChannelGrantActor' });

export const ChannelGrantViewSchema = z
  .object({
    id: idSchema('permission'),
    channel_id: idSchema('channel'),
    client_id: idSchema('client'),
    granted_at: TimestampSchema,
    granted_by: GrantActorSchema.nullable(),
    /** Null while the grant is current. */
    revoked_at: TimestampSchema.nullable(),
    revoked_by: GrantActorSchema.nullable(),
  })
  .meta({ id: 'ChannelGrant' });

export type ChannelGrantView = z.infer<typeof ChannelGrantViewSchema>;

export const ChannelGrantListQuerySchema = PaginationQuerySchema.strict();

export const ChannelGrantPageSchema = z
  .object({ grants: z.array(ChannelGrantViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'ChannelGrantPage' });
