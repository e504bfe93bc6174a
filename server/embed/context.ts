import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import { withAuthFailureBudget } from '../auth/auth-failure-budget.ts';
import { AppError } from '../errors.ts';
import { requestMetaOf } from '../http/request-meta.ts';
import type { Hub } from '../hub.ts';
import { authenticatePortalSession } from '../modules/portal/portal-links.service.ts';
import type { PortalSession } from '../modules/portal/portal-session.entity.ts';
import { type Context, createContextInner } from '../trpc/context.ts';

/** What portal procedures reach: the session the page's `Authorization: Bearer hube_…` names. */
export interface EmbedAccess {
  /** The live portal session (resolved once per request), or `unauthorized`. */
  session(): Promise<PortalSession>;
}

export type EmbedContext = Context & { embed: EmbedAccess };

/** `Bearer <credential>`; anything else is no credential at all. */
function bearerOf(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

/**
 * The context of `/embed/trpc`. It never authenticates a partner (`authenticate` refuses, so no
 * partner procedure could run here even if one were mounted): only a portal session, whose
 * failures count against the caller's address like a partner token's.
 */
export function embedContextFactory(deps: Hub) {
  return ({ req, res }: CreateExpressContextOptions): EmbedContext => {
    const base = createContextInner({
      deps,
      request: requestMetaOf(req),
      setHeaders: (headers) => res.set(headers),
    });
    const credential = bearerOf(req.get('authorization'));
    let resolved: Promise<PortalSession> | undefined;
    return {
      ...base,
      authenticate: () =>
        Promise.reject(new AppError('forbidden', 'The portal acts for a client, not a partner')),
      embed: {
        session: () => {
          resolved ??= withAuthFailureBudget(
            { limits: deps.rateLimits, ip: base.request.ip, setHeaders: base.setHeaders },
            () => authenticatePortalSession(base.em, deps.clock, credential),
          );
          return resolved;
        },
      },
    };
  };
}
