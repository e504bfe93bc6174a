import type { NextFunction, Request, Response } from 'express';
import { unavailableReason } from '../db/unavailable.ts';
import { AppError, ERROR_TABLE, errorBody, INTERNAL_ERROR_MESSAGE } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { knownErrorOf } from './known-error.ts';

/** The single place errors become HTTP responses; unknown errors are logged and never echoed. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let appError = knownErrorOf(err);
    if (appError?.code === 'database_unavailable') {
      // An outage, not a bug: one short line per request, no stack.
      logger.warn({ requestId: req.id, reason: unavailableReason(err) }, 'database unavailable');
    }
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
