import { TRPCError } from '@trpc/server';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { Request, Response } from 'express';
import { AppError, ERROR_TABLE } from '../errors.ts';
import { knownErrorOf } from '../http/known-error.ts';
import { requestMetaOf } from '../http/request-meta.ts';
import type { Hub } from '../hub.ts';
import { ConsoleUser } from '../modules/console-users/console-user.entity.ts';
import { assertPartnerActive } from '../modules/partners/partner-suspension.service.ts';
import { type Context, createContextInner } from '../trpc/context.ts';
import type { ConsoleSessions } from './session.ts';

/** What console procedures reach besides a partner context: the browser's session. */
export interface ConsoleAccess {
  req: Request;
  res: Response;
  /** The signed-in user (loaded once per request), or undefined. */
  user(): Promise<ConsoleUser | undefined>;
  csrfToken(): string;
}

export type ConsoleContext = Context & { console: ConsoleAccess };

const signedOut = () => new AppError('unauthorized', 'Sign in to the console first');

/**
 * The partner API's context, authenticated by a console session instead of a partner token:
 * every partner procedure then acts for the user's partner, within the user's role
 * (`trpc/principal.ts`). Operators have no partner and reach only the operator procedures.
 */
export function consoleContextFactory(deps: Hub, sessions: ConsoleSessions) {
  return async ({ req, res }: CreateExpressContextOptions): Promise<ConsoleContext> => {
    // Here rather than as Express middleware, so a refusal (CSRF) or an outage (the session
    // store's database) reaches the client as a tRPC error with the hub's code, like any other.
    try {
      await sessions.load(req, res);
      sessions.assertCsrf(req);
    } catch (err) {
      const known = knownErrorOf(err);
      if (!known) throw err;
      throw new TRPCError({ code: ERROR_TABLE[known.code].trpc, message: known.message, cause: known });
    }
    const base = createContextInner({
      deps,
      request: requestMetaOf(req),
      setHeaders: (headers) => res.set(headers),
    });
    let loaded: Promise<ConsoleUser | undefined> | undefined;
    const user = () => {
      const id = req.session.consoleUserId;
      loaded ??= id
        ? base.em.findOne(ConsoleUser, { id }, { populate: ['partner'] }).then((u) => u ?? undefined)
        : Promise.resolve(undefined);
      return loaded;
    };
    let authenticated: ReturnType<Context['authenticate']> | undefined;
    return {
      ...base,
      authenticate: () => {
        authenticated ??= user().then((u) => {
          if (!u) throw signedOut();
          if (!u.partner || u.role === 'operator')
            throw new AppError('forbidden', 'Operators act on the hub, not for a partner');
          assertPartnerActive(u.partner);
          return { partner: u.partner, principal: { kind: 'partner_user', id: u.id, role: u.role } };
        });
        return authenticated;
      },
      console: { req, res, user, csrfToken: () => sessions.csrfToken(req, res) },
    };
  };
}
