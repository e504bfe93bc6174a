import type { NextFunction, Request, Response } from 'express';
import { withAuthFailureBudget } from '../auth/auth-failure-budget.ts';
import { partnerCredentialFrom } from '../auth/credentials.ts';
import { resolvePartnerToken } from '../auth/partner-tokens.ts';
import { AppError } from '../errors.ts';
import { partnerTokenActor, requestMetaOf } from '../http/request-meta.ts';
import type { Hub } from '../hub.ts';
import { setPrincipal } from './locals.ts';

/**
 * Authenticates the partner token into `res.locals.principal` (and `res.locals.partner`), from the headers alone: the body
 * is read only after this, so unauthenticated callers cannot hold the server with slow bodies.
 */
export function requirePartner(deps: Hub) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const meta = requestMetaOf(req);
    const principal = await withAuthFailureBudget(
      { limits: deps.rateLimits, ip: meta.ip, setHeaders: (h) => res.set(h) },
      () =>
        resolvePartnerToken(deps.orm.em, deps.clock, partnerCredentialFrom(req.headers), deps.partnerTokens),
    );
    setPrincipal(res, principal);
    res.locals.actor = partnerTokenActor(principal.tokenId, meta);
    next();
  };
}

/** `{partner_id}` in a path must be the authenticated partner: anything else is 403, never a peek. */
export function requireOwnPartnerId(req: Request, res: Response, next: NextFunction) {
  if (req.params.partner_id !== res.locals.principal.partnerId) {
    throw new AppError('forbidden', 'This token does not belong to that partner');
  }
  next();
}
