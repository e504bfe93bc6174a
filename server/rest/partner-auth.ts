import type { NextFunction, Request, Response } from 'express';
import { partnerCredentialFrom } from '../auth/credentials.ts';
import type { AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { partnerTokenActor, requestMetaOf } from '../http/request-meta.ts';
import { authenticatePartnerToken } from '../modules/partners/partner-tokens.service.ts';
import './locals.ts';

/** Authenticates the partner token into `res.locals.partner`. */
export function requirePartner(deps: AppDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const { partner, token } = await authenticatePartnerToken(
      res.locals.em,
      deps.clock,
      partnerCredentialFrom(req.headers),
    );
    res.locals.partner = partner;
    res.locals.actor = partnerTokenActor(token.id, requestMetaOf(req));
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
