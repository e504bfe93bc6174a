import { ZodError } from 'zod';
import { unavailableReason } from '../db/unavailable.ts';
import { AppError, databaseUnavailableError } from '../errors.ts';
import { PaymentGatewayError } from '../payments/payment-error.ts';

/** body-parser reports its failures as HttpErrors with a `type`; these are the client's fault. */
function fromBodyParser(err: { type?: unknown; status?: unknown }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('invalid_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'The request body encoding is not supported');
    default:
      return typeof err.status === 'number' && err.status >= 400 && err.status < 500
        ? new AppError('validation_failed', 'The request could not be read')
        : undefined;
  }
}

/**
 * The error an adapter should answer with, when `err` is not a bug: a service's AppError, a
 * schema's ZodError, an unreachable database, or a body the parser refused. Undefined means
 * a bug (log it, answer `internal_error`). Shared by the API's and the hosted pages' handlers,
 * so both refuse the same bad input with the same code.
 */
export function knownErrorOf(err: unknown, invalidMessage = 'The request is invalid'): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError('validation_failed', invalidMessage, err.issues);
  if (unavailableReason(err)) return databaseUnavailableError(err);
  if (err instanceof PaymentGatewayError) {
    return err.isTransient
      ? new AppError(
          'payment_provider_unavailable',
          'The payment provider did not answer: try again in a moment',
        )
      : new AppError('payment_provider_error', 'The payment provider refused the request', {
          code: err.code ?? null,
        });
  }
  if (err && typeof err === 'object') return fromBodyParser(err as { type?: unknown });
  return undefined;
}
