import type { NextFunction, Request, Response } from 'express';
import type { AppDeps } from '../deps.ts';
import { spendBudget } from '../modules/rate-limits/rate-limits.ts';
import './locals.ts';

/** Counts the request against the token's read (GET) or write budget and says so in headers. */
export function rateLimit(deps: AppDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const scope = req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write';
    await spendBudget(deps.rateLimits, res.locals.actor.id ?? 'anonymous', scope, (h) => res.set(h));
    next();
  };
}
