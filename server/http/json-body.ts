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
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit, strict: false });
  // A request without a body (every GET) skips the parser: it cost 4 % of an authenticated
  // GET's CPU to find out there was nothing to read (the `auth` benchmark's profile).
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) {
      next();
      return;
    }
    if (!req.is('application/json')) {
      throw new AppError('unsupported_media_type', 'Send the request body as application/json');
    }
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      try {
        assertJsonDepth(req.body, 'The request body');
      } catch (tooDeep) {
        return next(tooDeep);
      }
      next();
    });
  };
}
