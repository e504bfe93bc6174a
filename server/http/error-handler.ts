import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import { unavailableReason } from '../db/unavailable.ts';
import {
  AppError,
  databaseUnavailableError,
  ERROR_TABLE,
  errorBody,
  INTERNAL_ERROR_MESSAGE,
} from '../errors.ts';
import type { Logger } from '../logger.ts';

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

/** The single place errors become HTTP responses; unknown errors are logged and never echoed. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let appError: AppError | undefined;
    const unavailable = unavailableReason(err);
    if (err instanceof AppError) appError = err;
    else if (err instanceof ZodError)
      appError = new AppError('validation_failed', 'The request is invalid', err.issues);
    else if (unavailable) {
      // An outage, not a bug: one short line per request, no stack.
      logger.warn({ requestId: req.id, reason: unavailable }, 'database unavailable');
      appError = databaseUnavailableError(err);
    } else if (err && typeof err === 'object') appError = fromBodyParser(err as { type?: unknown });
    if (!appError) {
      logger.error({ err, requestId: req.id }, 'unhandled error');
      appError = new AppError('internal_error', INTERNAL_ERROR_MESSAGE);
    }
    if (res.headersSent) return;
    const retryAfter = ERROR_TABLE[appError.code].retryAfterSeconds;
    if (retryAfter) res.set('Retry-After', String(retryAfter));
    res.status(appError.status).json(errorBody(appError));
  };
}
