import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { ErrorBody, ErrorCode } from '../shared/errors.ts';

/** Long enough for a restart or failover to finish, short enough that clients come back soon after. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The one place that says what each error code means over HTTP and over tRPC; codes for
 * passing conditions also say when to come back (`Retry-After`).
 */
export const ERROR_TABLE: Record<
  ErrorCode,
  { status: number; trpc: TRPC_ERROR_CODE_KEY; retryAfterSeconds?: number }
> = {
  validation_failed: { status: 400, trpc: 'BAD_REQUEST' },
  invalid_json: { status: 400, trpc: 'PARSE_ERROR' },
  payload_too_large: { status: 413, trpc: 'PAYLOAD_TOO_LARGE' },
  // A tRPC batch with more calls than MAX_TRPC_BATCH: refused before any call runs.
  batch_too_large: { status: 413, trpc: 'PAYLOAD_TOO_LARGE' },
  // Refused by Node's HTTP parser before any route: see http/client-errors.ts.
  headers_too_large: { status: 431, trpc: 'PAYLOAD_TOO_LARGE' },
  request_timeout: { status: 408, trpc: 'TIMEOUT' },
  unsupported_media_type: { status: 415, trpc: 'UNSUPPORTED_MEDIA_TYPE' },
  unauthorized: { status: 401, trpc: 'UNAUTHORIZED' },
  forbidden: { status: 403, trpc: 'FORBIDDEN' },
  // A token in its rotation grace window may use the API but not manage tokens.
  token_superseded: { status: 403, trpc: 'FORBIDDEN' },
  // The operator suspended the partner: its tokens and console users are refused until unsuspended.
  partner_suspended: { status: 403, trpc: 'FORBIDDEN' },
  not_found: { status: 404, trpc: 'NOT_FOUND' },
  conflict: { status: 409, trpc: 'CONFLICT' },
  // The partner already has PARTNER_TOKENS_MAX working tokens.
  too_many_tokens: { status: 409, trpc: 'CONFLICT' },
  // The delivery was already resent WEBHOOK_MANUAL_RESENDS_MAX times by hand.
  resend_limit_reached: { status: 409, trpc: 'CONFLICT' },
  // The operator suspended the business (`clients suspend`).
  client_suspended: { status: 403, trpc: 'FORBIDDEN' },
  channel_not_ready: { status: 409, trpc: 'CONFLICT' },
  payment_required: { status: 402, trpc: 'PAYMENT_REQUIRED' },
  payment_failed: { status: 402, trpc: 'PAYMENT_REQUIRED' },
  idempotency_key_in_progress: { status: 409, trpc: 'CONFLICT' },
  idempotency_key_reused: { status: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  rate_limited: { status: 429, trpc: 'TOO_MANY_REQUESTS' },
  invalid_csrf_token: { status: 403, trpc: 'FORBIDDEN' },
  // Meta refused the call: details carry Meta's code, subcode and fbtrace_id.
  meta_error: { status: 502, trpc: 'BAD_GATEWAY' },
  // The channel's business token no longer works; the client must reconnect the number.
  meta_token_expired: { status: 502, trpc: 'BAD_GATEWAY' },
  meta_unavailable: { status: 503, trpc: 'SERVICE_UNAVAILABLE' },
  payment_provider_error: { status: 502, trpc: 'BAD_GATEWAY' },
  payment_provider_unavailable: { status: 503, trpc: 'SERVICE_UNAVAILABLE' },
  waba_not_in_scopes: { status: 403, trpc: 'FORBIDDEN' },
  invalid_redirect_url: { status: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  webhook_preflight_failed: { status: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  // A webhook URL whose host is a private, loopback or reserved IP address (details.category).
  webhook_url_not_allowed: { status: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  // The session is completed, failed, cancelled or expired: its URL cannot be used again.
  onboarding_session_closed: { status: 409, trpc: 'CONFLICT' },
  waba_override_conflict: { status: 409, trpc: 'CONFLICT' },
  // Linked-device channels are off on this hub (LINKED_DEVICES_ENABLED).
  linked_devices_disabled: { status: 404, trpc: 'NOT_FOUND' },
  // whathooks answers 400 when the session is not CONNECTED; kept for compatibility.
  session_not_connected: { status: 400, trpc: 'BAD_REQUEST' },
  // A client is pairing LINKED_DEVICE_PAIRING_PER_CLIENT devices at once already (details.limit).
  too_many_pairings: { status: 409, trpc: 'CONFLICT' },
  // A linked-device number sends text only; details.supported lists what it sends.
  message_type_not_supported: { status: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  // No worker holding the session answered in time (none running, or it is taking the session over).
  linked_device_unavailable: { status: 503, trpc: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 },
  // The connection refused or failed the send.
  linked_device_send_failed: { status: 502, trpc: 'BAD_GATEWAY' },
  not_ready: { status: 503, trpc: 'SERVICE_UNAVAILABLE' },
  // PostgreSQL is down, restarting or refusing connections: nothing is wrong with the request.
  database_unavailable: {
    status: 503,
    trpc: 'SERVICE_UNAVAILABLE',
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  },
  // Too much expensive work (password hashing) is in flight: this request was shed, not queued.
  server_busy: { status: 503, trpc: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
  internal_error: { status: 500, trpc: 'INTERNAL_SERVER_ERROR' },
};

/** The only error services throw on purpose; anything else is a bug and becomes `internal_error`. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }
}

export function errorBody(error: AppError): ErrorBody {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  return body;
}

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong on our side; the request id identifies it in the logs.';

/** What clients see while the database is unreachable; the driver's error stays in `cause`, for the logs only. */
export function databaseUnavailableError(cause: unknown): AppError {
  return new AppError(
    'database_unavailable',
    'The hub cannot reach its database right now; retry shortly',
    undefined,
    { cause },
  );
}
