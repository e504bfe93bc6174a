import connectPgSimple from 'connect-pg-simple';
import express, { type RequestHandler } from 'express';
import session from 'express-session';
import passportLib from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Hub } from '../hub.ts';
import { authenticateClientUser } from '../modules/clients/client-accounts.service.ts';
import { ClientUser } from '../modules/clients/client-user.entity.ts';
import { spendLoginBudgets } from './auth-throttle.ts';
import { hostedCsrf } from './csrf.ts';
import { LoginFormSchema } from './login-form.ts';

export const SESSION_TABLE = 'client_sessions';
const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

declare global {
  namespace Express {
    /** What passport puts on `req.user` for hosted pages. */
    interface User {
      id: string;
      clientId: string;
      email: string;
    }
  }
}

export interface HostedAuth {
  /** Parses forms, loads the session and the user, checks CSRF on every unsafe method. */
  middleware: RequestHandler[];
  passport: passportLib.PassportStatic;
  csrfToken(req: express.Request, res: express.Response): string;
}

/**
 * Sessions for client users: stored in PostgreSQL (connect-pg-simple) only once someone logs in
 * or signs up, a `__Host-` cookie in production, regenerated on login (passport ≥ 0.6 does
 * that); stateless CSRF (`csrf.ts`), so anonymous pages store nothing.
 */
export function hostedAuth(deps: Hub): HostedAuth {
  const production = deps.config.nodeEnv === 'production';
  const PgStore = connectPgSimple(session);
  const passport = new passportLib.Passport() as unknown as passportLib.PassportStatic;

  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      authenticateClientUser(deps.orm.em.fork(), deps.clock, email, password).then(
        (user) => done(null, user ? { id: user.id, clientId: user.client.id, email: user.email } : false),
        done,
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: string, done) => {
    deps.orm.em
      .fork()
      .findOne(ClientUser, { id }, { populate: ['client'] })
      .then(
        (user) => done(null, user ? { id: user.id, clientId: user.client.id, email: user.email } : false),
        done,
      );
  });

  const csrf = hostedCsrf({ secret: deps.sessionSecret, production });

  return {
    passport,
    csrfToken: (req, res) => csrf.token(req, res),
    middleware: [
      express.urlencoded({ extended: false, limit: '32kb' }),
      express.json({ limit: '32kb' }),
      session({
        store: new PgStore({ pool: deps.pgPool, tableName: SESSION_TABLE, pruneSessionInterval: false }),
        name: production ? '__Host-hub.sid' : 'hub.sid',
        secret: deps.sessionSecret,
        resave: false,
        saveUninitialized: false,
        rolling: true,
        cookie: { httpOnly: true, sameSite: 'lax', secure: production, path: '/', maxAge: SESSION_TTL_MS },
      }),
      passport.session(),
      ...csrf.middleware,
    ],
  };
}

export type LoginOutcome =
  | { ok: true; user: Express.User }
  | { ok: false; code: 'validation_failed' | 'unauthorized'; error: string; email: string };

/**
 * One login attempt from a form (email, password): checked, throttled on the normalised email
 * (`spendLoginBudgets`), then passport-local, which looks the email up through the same
 * `normaliseEmail`; on success the session is regenerated and holds the user.
 */
export async function attemptLogin(
  deps: Hub,
  auth: HostedAuth,
  req: express.Request,
  res: express.Response,
): Promise<LoginOutcome> {
  const given = String((req.body as { email?: unknown } | undefined)?.email ?? '');
  const form = LoginFormSchema.safeParse(req.body ?? {});
  if (!form.success)
    return { ok: false, code: 'validation_failed', error: form.error.issues[0]!.message, email: given };
  await spendLoginBudgets(deps.rateLimits, form.data.email, req, res);
  const user = await new Promise<Express.User | false>((resolve, reject) => {
    auth.passport.authenticate('local', (err: unknown, found: Express.User | false) =>
      err ? reject(err) : resolve(found),
    )(req, res, reject);
  });
  if (!user) return { ok: false, code: 'unauthorized', error: 'Wrong email or password.', email: given };
  await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
  return { ok: true, user };
}
