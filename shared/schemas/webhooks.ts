import { z } from 'zod';
import { EVENT_TYPES } from '../events.ts';
import {
  WEBHOOK_ATTEMPT_TRIGGERS,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_DESTINATIONS,
  WEBHOOK_FORMATS,
} from '../statuses.ts';
import {
  graceSeconds,
  NextCursorSchema,
  PaginationQuerySchema,
  TimestampSchema,
  UrlInputSchema,
} from './common.ts';
import { safeString } from './safe-text.ts';

/** The partner's primary `webhook_url` is the endpoint with this id. */
export const PRIMARY_ENDPOINT_ID = 'primary';

export const EventTypeSchema = z.enum(EVENT_TYPES as [string, ...string[]]);

export const WebhookFormatSchema = z.enum(WEBHOOK_FORMATS).meta({
  description:
    '`standard_webhooks` (default): the event as stored, with Standard Webhooks headers. `whathooks`: ' +
    "whathooks' `{event, sessionId, data, timestamp}` body with X-Whathooks-Event, X-Whathooks-Delivery and " +
    'X-Whathooks-Signature headers (docs/webhooks.md)',
});

export const WebhookEndpointViewSchema = z
  .object({
    id: safeString().meta({ description: '`primary` for the partner webhook_url, otherwise `wep_…`' }),
    url: safeString(),
    description: safeString().nullable(),
    event_types: z.array(safeString()).nullable().meta({ description: 'null: every event type' }),
    /** Only this channel's events reach the endpoint (null: every channel). */
    channel_id: safeString().nullable(),
    /** Only the events of this WABA's channels reach the endpoint (null: every WABA). */
    waba_id: safeString().nullable(),
    format: WebhookFormatSchema,
    status: z.enum(['enabled', 'disabled']),
    disabled_reason: safeString().nullable(),
    failing_since: TimestampSchema.nullable(),
    previous_secret_expires_at: TimestampSchema.nullable(),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'WebhookEndpoint' });

/**
 * A signing secret the partner chooses: `whsec_` + base64 of 24–64 bytes (a Standard Webhooks
 * secret), or any other 16–256 characters, then the HMAC key as typed.
 */
export const ChosenSecretSchema = safeString()
  .min(16)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
  .meta({
    description:
      'Your own signing secret (16–256 printable ASCII characters): a `whsec_…` Standard Webhooks secret, or any ' +
      'string, used as the HMAC key as typed',
  });

const scopeFields = {
  channel_id: safeString()
    .min(1)
    .max(64)
    .nullable()
    .optional()
    .meta({ description: 'Only events of this channel you hold (incl. its `message.*` events)' }),
  waba_id: safeString()
    .min(1)
    .max(64)
    .nullable()
    .optional()
    .meta({ description: "Only events of this WABA's channels you hold" }),
};
const oneScope = (b: { channel_id?: string | null | undefined; waba_id?: string | null | undefined }) =>
  !(b.channel_id && b.waba_id);
const oneScopeIssue = { message: 'give channel_id or waba_id, not both', path: ['waba_id'] };

export const WebhookEndpointCreateSchema = z
  .strictObject({
    url: UrlInputSchema,
    description: safeString().trim().min(1).max(200).nullable().optional(),
    event_types: z.array(EventTypeSchema).min(1).max(50).nullable().optional(),
    ...scopeFields,
    format: WebhookFormatSchema.optional(),
    secret: ChosenSecretSchema.optional(),
  })
  .refine(oneScope, oneScopeIssue)
  .meta({ id: 'WebhookEndpointCreate' });

export const WebhookEndpointUpdateSchema = z
  .strictObject({
    url: UrlInputSchema.optional(),
    description: safeString().trim().min(1).max(200).nullable().optional(),
    event_types: z.array(EventTypeSchema).min(1).max(50).nullable().optional(),
    ...scopeFields,
    format: WebhookFormatSchema.optional(),
  })
  .refine(oneScope, oneScopeIssue)
  .meta({ id: 'WebhookEndpointUpdate' });

export const WebhookEndpointCreatedSchema = WebhookEndpointViewSchema.extend({
  secret: safeString().meta({
    description: 'The signing secret (`whsec_…`, or yours as you chose it), shown only in this response',
  }),
  standard_webhooks_secret: safeString().meta({
    description: 'The same key in the `whsec_…` form Standard Webhooks libraries take',
  }),
}).meta({ id: 'WebhookEndpointCreated' });

export const WebhookEndpointListSchema = z
  .object({ webhook_endpoints: z.array(WebhookEndpointViewSchema) })
  .meta({ id: 'WebhookEndpointList' });

export const SecretRotateSchema = z
  .strictObject({
    grace_period_seconds: graceSeconds(
      7 * 24 * 3600,
      'How long deliveries carry the old signature too (default 86400)',
    ).optional(),
    secret: ChosenSecretSchema.optional(),
  })
  .meta({ id: 'SecretRotate' });

export const SecretRotatedSchema = z
  .object({
    secret: safeString(),
    standard_webhooks_secret: safeString(),
    previous_secret_expires_at: TimestampSchema,
  })
  .meta({ id: 'SecretRotated' });

export const WebhookEventViewSchema = z
  .object({
    id: safeString().meta({ description: 'Also the `webhook-id` header of every delivery of this event' }),
    type: safeString(),
    channel_id: safeString().nullable(),
    data: z.record(safeString(), z.unknown()),
    created_at: TimestampSchema,
  })
  .meta({ id: 'WebhookEvent' });

export const WebhookEventListQuerySchema = PaginationQuerySchema.extend({
  type: safeString().max(100).optional(),
  since: z.iso.datetime().optional().meta({ description: 'Only events created at or after this time' }),
}).strict();

export const WebhookEventPageSchema = z
  .object({ events: z.array(WebhookEventViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'WebhookEventPage' });

export const WebhookDeliveryViewSchema = z
  .object({
    id: safeString(),
    event_id: safeString(),
    event_type: safeString(),
    destination: z.enum(WEBHOOK_DESTINATIONS),
    endpoint_id: safeString().nullable(),
    url: safeString(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempt_count: z.number().int(),
    next_attempt_at: TimestampSchema.nullable(),
    last_attempt_at: TimestampSchema.nullable(),
    succeeded_at: TimestampSchema.nullable(),
    created_at: TimestampSchema,
  })
  .meta({ id: 'WebhookDelivery' });

export const WebhookDeliveryListQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  event_type: safeString().max(100).optional(),
  endpoint_id: safeString().max(64).optional(),
  since: z.iso.datetime().optional().meta({ description: 'Only deliveries created at or after this time' }),
  until: z.iso.datetime().optional().meta({ description: 'Only deliveries created before this time' }),
})
  .strict()
  .refine((q) => !(q.since && q.until) || Date.parse(q.since) < Date.parse(q.until), {
    message: 'until must be after since',
    path: ['until'],
  });

export const WebhookDeliveryPageSchema = z
  .object({ deliveries: z.array(WebhookDeliveryViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'WebhookDeliveryPage' });

export const WebhookAttemptViewSchema = z
  .object({
    id: safeString().meta({ description: 'Also the `X-Hub-Delivery` header of that request' }),
    trigger: z.enum(WEBHOOK_ATTEMPT_TRIGGERS),
    started_at: TimestampSchema,
    duration_ms: z.number().int(),
    request_headers: z
      .record(safeString(), safeString())
      .nullable()
      .meta({
        description:
          "The request's headers as sent, signatures included; the endpoint's custom headers by name only " +
          '(value `[redacted]`). Null for attempts logged before the hub kept headers',
      }),
    response_status: z.number().int().nullable(),
    response_body: safeString().nullable().meta({ description: 'At most 4 KiB' }),
    error: safeString().nullable(),
  })
  .meta({ id: 'WebhookAttempt' });

/** Attempts are listed oldest first, so `next_cursor` moves forward in time. */
export const WebhookAttemptListQuerySchema = PaginationQuerySchema.strict();

export const WebhookAttemptListSchema = z
  .object({ attempts: z.array(WebhookAttemptViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'WebhookAttemptList' });

export const ResendResultSchema = z
  .object({ delivery: WebhookDeliveryViewSchema, attempt: WebhookAttemptViewSchema.nullable() })
  .meta({ id: 'ResendResult' });

export const RecoverSchema = z
  .strictObject({
    since: z.iso.datetime().meta({ description: 'Requeue failed deliveries created at or after this time' }),
    endpoint_id: safeString().max(64).optional(),
  })
  .meta({ id: 'Recover' });

export const RecoverResultSchema = z.object({ recovered: z.number().int() }).meta({ id: 'RecoverResult' });

export const TestSentSchema = z
  .object({ event_id: safeString(), delivery_id: safeString() })
  .meta({ id: 'TestSent' });
