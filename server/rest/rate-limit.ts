import type { NextFunction, Request, Response } from 'express';
import type { AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { rateLimitHeaders } from '../modules/rate-limits/rate-limits.ts';
import './locals.ts';

/** Counts the request against the token's read (GET) or write budget and says so in headers. */
export function rateLimit(deps: AppDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const scope = req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write';
    const state = await deps.rateLimits.consume(res.locals.actor.id ?? 'anonymous', scope);
    res.set(rateLimitHeaders(state));
    if (!state.allowed) {
      throw new AppError('rate_limited', `Too many ${scope} requests; retry in ${state.resetSeconds} s`, {
        retry_after_seconds: state.resetSeconds,
      });
    }
    next();
  };
}
