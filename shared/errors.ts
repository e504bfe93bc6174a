import { z } from 'zod';

/**
 * Stable, snake_case error codes. Clients branch on these, so a code is never renamed
 * or reused for another meaning; new situations get new codes.
 */
export const ERROR_CODES = [
  'validation_failed',
  'invalid_json',
  'payload_too_large',
  'batch_too_large',
  'headers_too_large',
  'request_timeout',
  'unsupported_media_type',
  'unauthorized',
  'forbidden',
  'token_superseded',
  'partner_suspended',
  'not_found',
  'conflict',
  'too_many_tokens',
  'resend_limit_reached',
  'client_suspended',
  'channel_not_ready',
  'payment_required',
  'payment_failed',
  'idempotency_key_in_progress',
  'idempotency_key_reused',
  'rate_limited',
  'invalid_csrf_token',
  'meta_error',
  'meta_token_expired',
  'meta_unavailable',
  'payment_provider_error',
  'payment_provider_unavailable',
  'waba_not_in_scopes',
  'invalid_redirect_url',
  'webhook_preflight_failed',
  'webhook_url_not_allowed',
  'onboarding_session_closed',
  'waba_override_conflict',
  'linked_devices_disabled',
  'session_not_connected',
  'message_type_not_supported',
  'too_many_pairings',
  'linked_device_unavailable',
  'linked_device_send_failed',
  'not_ready',
  'database_unavailable',
  'server_busy',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export type ErrorBody = z.infer<typeof ErrorBodySchema>;
