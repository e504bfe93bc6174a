import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { unavailableReason } from '../db/unavailable.ts';
import { AppError, ERROR_TABLE, errorBody, INTERNAL_ERROR_MESSAGE } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { knownErrorOf } from './known-error.ts';

/** The AppError `err` is answered with; unknown errors are logged (never echoed) and become internal_error. */
function answerableError(err: unknown, logger: Logger, requestId: unknown): AppError {
  const appError = knownErrorOf(err);
  if (appError?.code === 'database_unavailable') {
    // An outage, not a bug: one short line per request, no stack.
    logger.warn({ requestId, reason: unavailableReason(err) }, 'database unavailable');
  }
  if (appError) return appError;
  logger.error({ err, requestId }, 'unhandled error');
  return new AppError('internal_error', INTERNAL_ERROR_MESSAGE);
}

/** The single place errors become HTTP responses. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = answerableError(err, logger, req.id);
    if (res.headersSent) return;
    const retryAfter = ERROR_TABLE[appError.code].retryAfterSeconds;
    if (retryAfter) res.set('Retry-After', String(retryAfter));
    res.status(appError.status).json(errorBody(appError));
  };
}

/** The same answer for the routes served before Express, on a bare Node response. */
export function answerError(err: unknown, logger: Logger, requestId: unknown, res: ServerResponse): void {
  const appError = answerableError(err, logger, requestId);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const retryAfter = ERROR_TABLE[appError.code].retryAfterSeconds;
  if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
  const body = Buffer.from(JSON.stringify(errorBody(appError)));
  res.writeHead(appError.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
  });
  res.end(body);
}
