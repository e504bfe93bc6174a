import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AppError } from '../errors.ts';
import { assertJsonDepth } from './json-depth.ts';

/** A body is announced by a non-zero length or chunked framing; `Content-Length: 0` is none. */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Reads an API request body: `application/json` only (a form-encoded or text body would
 * otherwise be dropped silently and the request run without it), at most `limit`, and nested
 * at most MAX_JSON_DEPTH levels.
 */
export function jsonBody(limit: string): RequestHandler[] {
  return [
    (req: Request, _res: Response, next: NextFunction) => {
      if (hasBody(req) && !req.is('application/json')) {
        throw new AppError('unsupported_media_type', 'Send the request body as application/json');
      }
      next();
    },
    express.json({ limit, strict: false }),
    (req: Request, _res: Response, next: NextFunction) => {
      assertJsonDepth(req.body, 'The request body');
      next();
    },
  ];
}
