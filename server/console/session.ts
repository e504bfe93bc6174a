import { hkdfSync } from 'node:crypto';
import connectPgSimple from 'connect-pg-simple';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { AppError } from '../errors.ts';
import { SESSION_TABLE } from '../hosted/session.ts';
import type { Hub } from '../hub.ts';

const SESSION_TTL_MS = 12 * 3600 * 1000;
/** How long a password-checked login may wait for its second factor. */
export const SECOND_FACTOR_WINDOW_MS = 5 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    /** The console user signed in with this session. */
    consoleUserId?: string;
    /** A user whose password was right and whose TOTP code is still to come, and since when. */
    pendingConsoleUserId?: string;
    pendingSince?: number;
  }
}

export interface ConsoleSessions {
  /** Reads the cookies and loads the session (`req.session`). */
  load(req: Request, res: Response): Promise<void>;
  /** Refuses an unsafe request whose `X-CSRF-Token` does not match its cookie and session. */
  assertCsrf(req: Request): void;
  /** The token the console sends back in `X-CSRF-Token`; bound to the session once signed in. */
  csrfToken(req: Request, res: Response): string;
}

/**
 * Console sessions: express-session in PostgreSQL (the hosted pages' table, a cookie of its own,
 * 12 h rolling), written only once someone signs in; regenerated at sign-in so a planted session
 * id is worthless. Mutations need a signed double-submit CSRF token (csrf-csrf) in
 * `X-CSRF-Token`, bound to the session once signed in; a cross-site page can neither read it nor
 * send the header without a CORS preflight the hub never answers. The check runs as the tRPC
 * context is made (`assertCsrf`), so a refusal reaches the client as a tRPC error it can read.
 */
export function consoleSessions(deps: Hub): ConsoleSessions {
  const production = deps.config.nodeEnv === 'production';
  const PgStore = connectPgSimple(session);
  const key = Buffer.from(hkdfSync('sha256', deps.sessionSecret, '', 'console-csrf', 32)).toString('hex');
  const middleware: RequestHandler[] = [
    cookieParser(),
    session({
      store: new PgStore({ pool: deps.pgPool, tableName: SESSION_TABLE, pruneSessionInterval: false }),
      name: production ? '__Host-hub.console.sid' : 'hub.console.sid',
      secret: deps.sessionSecret,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'strict', secure: production, path: '/', maxAge: SESSION_TTL_MS },
    }),
  ];
  const { validateRequest, generateCsrfToken } = doubleCsrf({
    getSecret: () => key,
    getSessionIdentifier: (req) => (req.session?.consoleUserId ? req.sessionID : ''),
    cookieName: production ? '__Host-hub.console.csrf' : 'hub.console.csrf',
    cookieOptions: { httpOnly: true, sameSite: 'strict', secure: production, path: '/' },
    getCsrfTokenFromRequest: (req) => req.get('x-csrf-token'),
  });
  return {
    load: async (req, res) => {
      for (const step of middleware)
        await new Promise<void>((resolve, reject) =>
          step(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
        );
    },
    // Kept while it is valid for the session: a refetch must not invalidate a call in flight.
    csrfToken: (req, res) => generateCsrfToken(req, res),
    assertCsrf: (req) => {
      if (['GET', 'HEAD', 'OPTIONS'].includes(req.method) || validateRequest(req)) return;
      throw new AppError('invalid_csrf_token', 'The console page is out of date: reload it');
    },
  };
}

export function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function destroy(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}
