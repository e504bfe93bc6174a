import type { ErrorCode } from '../../shared/errors.ts';
import { AppError, errorBody } from '../errors.ts';
import type { StoredResponse } from '../modules/idempotency/idempotency.service.ts';

// An operation's outcome as an HTTP status and body: what the idempotency store keeps and
// replays, whichever transport ran the operation.

/** Runs a handler and turns its result, or its client error, into the outcome a key replays. */
export async function captureOutcome(
  successStatus: number,
  handler: () => Promise<Record<string, unknown> | null>,
): Promise<StoredResponse> {
  try {
    return { status: successStatus, body: await handler() };
  } catch (err) {
    // Client errors are part of the outcome a key replays; 5xx are not (they release the key).
    if (err instanceof AppError && err.status < 500) return { status: err.status, body: errorBody(err) };
    throw err;
  }
}

/** A replayed client error is thrown again, as the first request's was. */
export function throwIfError(outcome: StoredResponse): void {
  if (outcome.status < 400) return;
  const error = (outcome.body as { error?: { code?: ErrorCode; message?: string; details?: unknown } } | null)
    ?.error;
  throw new AppError(
    error?.code ?? 'conflict',
    error?.message ?? 'The original request failed',
    error?.details,
  );
}
