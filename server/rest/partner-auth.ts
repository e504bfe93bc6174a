import type { NextFunction, Request, Response } from 'express';
import { withAuthFailureBudget } from '../auth/auth-failure-budget.ts';
import { partnerCredentialFrom } from '../auth/credentials.ts';
import { authenticatePartnerToken } from '../auth/partner-tokens.ts';
import { AppError } from '../errors.ts';
import { partnerTokenActor, requestMetaOf } from '../http/request-meta.ts';
import type { Hub } from '../hub.ts';
import './locals.ts';

/**
 * Authenticates the partner token into `res.locals.partner`, from the headers alone: the body
 * is read only after this, so unauthenticated callers cannot hold the server with slow bodies.
 */
export function requirePartner(deps: Hub) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const meta = requestMetaOf(req);
    const { partner, token } = await withAuthFailureBudget(
      { limits: deps.rateLimits, ip: meta.ip, setHeaders: (h) => res.set(h) },
      () =>
        authenticatePartnerToken(
          res.locals.em,
          deps.clock,
          partnerCredentialFrom(req.headers),
          deps.partnerTokens,
        ),
    );
    res.locals.partner = partner;
    res.locals.actor = partnerTokenActor(token.id, meta);
    next();
  };
}

/** `{partner_id}` in a path must be the authenticated partner: anything else is 403, never a peek. */
export function requireOwnPartnerId(req: Request, res: Response, next: NextFunction) {
  if (req.params.partner_id !== res.locals.partner.id) {
    throw new AppError('forbidden', 'This token does not belong to that partner');
  }
  next();
}
