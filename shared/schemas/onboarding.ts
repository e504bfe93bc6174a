import { z } from 'zod';
import { idSchema } from '../ids.ts';
import {
  CHANNEL_CONNECTION_TYPES,
  CONNECTION_TYPES,
  ONBOARDING_SESSION_STATUSES,
  SIGNUP_SESSION_EVENTS,
} from '../statuses.ts';
import { NextCursorSchema, PaginationQuerySchema, TimestampSchema, UrlInputSchema } from './common.ts';
import { safeJsonRecord, safeString } from './safe-text.ts';
import { ChosenSecretSchema, EventTypeSchema } from './webhooks.ts';

const METADATA_MAX_BYTES = 4096;

export const OnboardingSessionCreateSchema = z
  .object({
    tenant_id: safeString()
      .min(1)
      .max(200)
      .meta({ description: 'Your own id for the tenant; the client is keyed by it' }),
    tenant_name: safeString().min(1).max(200).optional(),
    success_redirect_url: UrlInputSchema.optional(),
    failure_redirect_url: UrlInputSchema.optional(),
    cancel_redirect_url: UrlInputSchema.optional(),
    webhook_override_url: UrlInputSchema.optional().meta({
      description: "The tenant's own Meta webhook: the WABA is subscribed with it instead of the hub's relay",
    }),
    webhook_verify_token: safeString().min(1).max(200).optional(),
    skip_webhook_preflight: z.boolean().optional(),
    webhook_url: UrlInputSchema.optional().meta({
      description:
        'Your own webhook for this tenant: when the number connects, an endpoint scoped to its channel is ' +
        'registered with `webhook_secret` and `webhook_events` (Dualhook onboarding links)',
    }),
    webhook_secret: ChosenSecretSchema.optional(),
    webhook_events: z.array(EventTypeSchema).min(1).max(50).optional().meta({
      description:
        'Default: the message events (message.received, message.status, message.update, message.echo)',
    }),
    expires_in_seconds: z.number().int().min(300).max(86_400).default(3600),
    metadata: safeJsonRecord()
      .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= METADATA_MAX_BYTES, {
        message: `must be at most ${METADATA_MAX_BYTES} bytes of JSON`,
      })
      .optional()
      .meta({ description: 'Returned in every event of the session (at most 4 KiB)' }),
    connection_types: z.array(z.enum(CONNECTION_TYPES)).min(1).max(2).optional(),
  })
  .strict()
  .refine((b) => !b.webhook_override_url || b.webhook_verify_token, {
    message: 'webhook_verify_token is required with webhook_override_url',
    path: ['webhook_verify_token'],
  })
  .refine((b) => !b.webhook_url || b.webhook_secret, {
    message: 'webhook_secret is required with webhook_url',
    path: ['webhook_secret'],
  })
  .refine((b) => b.webhook_url || (!b.webhook_secret && !b.webhook_events), {
    message: 'webhook_secret and webhook_events need webhook_url',
    path: ['webhook_url'],
  })
  .meta({ id: 'OnboardingSessionCreate' });
export type OnboardingSessionCreate = z.infer<typeof OnboardingSessionCreateSchema>;

export const LastSignupEventSchema = z
  .object({
    event: z.enum(SIGNUP_SESSION_EVENTS),
    /** CANCEL: the step of Meta's flow the tenant left at. */
    current_step: safeString().nullable(),
    error_message: safeString().nullable(),
    error_id: safeString().nullable(),
    waba_id: safeString().nullable(),
    phone_number_id: safeString().nullable(),
    recorded_at: TimestampSchema,
  })
  .meta({ id: 'SignupSessionEvent' });

export const OnboardingSessionViewSchema = z
  .object({
    id: idSchema('onboardingSession'),
    onboarding_url: safeString(),
    tenant_id: safeString(),
    tenant_name: safeString().nullable(),
    status: z.enum(ONBOARDING_SESSION_STATUSES),
    expires_at: TimestampSchema,
    success_redirect_url: safeString().nullable(),
    failure_redirect_url: safeString().nullable(),
    cancel_redirect_url: safeString().nullable(),
    webhook_override_url: safeString().nullable(),
    /** The session's outgoing webhook (its secret is never shown again). */
    webhook_url: safeString().nullable(),
    webhook_events: z.array(safeString()).nullable(),
    /** The endpoint registered for the channel when the session completed. */
    webhook_endpoint_id: safeString().nullable(),
    connection_types: z.array(z.enum(CONNECTION_TYPES)),
    metadata: z.record(safeString(), z.unknown()).nullable(),
    client_id: safeString().nullable(),
    channel_id: safeString().nullable(),
    /** The connected number, once completed (null before). */
    phone_number: safeString().nullable(),
    waba_id: safeString().nullable(),
    phone_number_id: safeString().nullable(),
    /** Whether the number is registered for the Cloud API (coexistence numbers need no registration). */
    is_phone_registered: z.boolean().nullable(),
    connection_type: z.enum(CHANNEL_CONNECTION_TYPES).nullable(),
    failure_reason: safeString().nullable(),
    opened_at: TimestampSchema.nullable(),
    finished_at: TimestampSchema.nullable(),
    /** When the tenant cancelled or hit an error in Embedded Signup; null again after a later finish. */
    abandoned_at: TimestampSchema.nullable(),
    /** What Embedded Signup last reported on the page (a FINISH_ONLY_WABA carries the WABA id). */
    last_signup_event: LastSignupEventSchema.nullable(),
    created_at: TimestampSchema,
  })
  .meta({ id: 'OnboardingSession' });
export type OnboardingSessionView = z.infer<typeof OnboardingSessionViewSchema>;

export const OnboardingSessionListQuerySchema = PaginationQuerySchema.extend({
  tenant_id: safeString().max(200).optional(),
  status: z.enum(ONBOARDING_SESSION_STATUSES).optional(),
}).strict();
export type OnboardingSessionListQuery = z.infer<typeof OnboardingSessionListQuerySchema>;

export const OnboardingSessionPageSchema = z
  .object({ onboarding_sessions: z.array(OnboardingSessionViewSchema), next_cursor: NextCursorSchema })
  .meta({ id: 'OnboardingSessionPage' });
