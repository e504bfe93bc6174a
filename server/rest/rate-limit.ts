import type { NextFunction, Request, Response } from 'express';
import { spendPartnerBudget } from '../http/budgets.ts';
import type { Hub } from '../hub.ts';
import './locals.ts';

/** Counts the request against the partner's read (GET) or write budget and says so in headers. */
export function rateLimit(deps: Hub) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const scope = req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write';
    await spendPartnerBudget(deps.rateLimits, partnerCaller(res), scope, (h) => res.set(h));
    next();
  };
}

/** Whose budgets an authenticated request spends: its partner's, and its token's cap inside them. */
export function partnerCaller(res: Response): { partnerId: string; tokenId: string } {
  return { partnerId: res.locals.principal.partnerId, tokenId: res.locals.principal.tokenId };
}
