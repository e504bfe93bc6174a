import { hkdfSync } from 'node:crypto';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.ts';

export interface Csrf {
  /** Reads the CSRF cookie and refuses unsafe requests whose token does not match it. */
  middleware: RequestHandler[];
  /** The token for the page's forms; sets (or keeps) the cookie it must match. */
  token(req: Request, res: Response): string;
}

/**
 * Signed double-submit CSRF (csrf-csrf): the token is an HMAC of a random value and, once
 * logged in, the session id; it lives in an HttpOnly cookie and must come back in the form
 * (`_csrf`) or `X-CSRF-Token`. Stateless, so an anonymous visit stores nothing: a session row
 * is written only by logging in or signing up. A token from before login does not work after it.
 */
export function hostedCsrf(options: { secret: string; production: boolean }): Csrf {
  const key = Buffer.from(hkdfSync('sha256', options.secret, '', 'hosted-csrf', 32)).toString('hex');
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => key,
    getSessionIdentifier: (req) => (req.user ? req.sessionID : ''),
    cookieName: options.production ? '__Host-hub.csrf' : 'hub.csrf',
    cookieOptions: { httpOnly: true, sameSite: 'lax', secure: options.production, path: '/' },
    getCsrfTokenFromRequest: (req) =>
      (req.body as { _csrf?: unknown } | undefined)?._csrf?.toString() ?? req.get('x-csrf-token'),
  });
  const protect: RequestHandler = (req, res, next) =>
    doubleCsrfProtection(req, res, (err?: unknown) =>
      next(
        err
          ? new AppError(
              'invalid_csrf_token',
              'This form expired or was not sent by this page: reload it and try again',
            )
          : undefined,
      ),
    );
  return { middleware: [cookieParser(), protect], token: (req, res) => generateCsrfToken(req, res) };
}
