import type { NextFunction, Request, Response } from 'express';
import { withAuthFailureBudget } from '../auth/auth-failure-budget.ts';
import { AppError } from '../errors.ts';
import { requestMetaOf } from '../http/request-meta.ts';
import type { ChannelKeyGrant, ChannelKeyVerifier } from '../modules/messaging/channel-key-verifier.ts';
import type { RateLimits } from '../modules/rate-limits/rate-limits.ts';

declare global {
  namespace Express {
    interface Locals {
      /** Set on /waba routes: the channel the API key may act on. */
      grant: ChannelKeyGrant;
    }
  }
}

/** 360dialog's `D360-API-KEY` header, whathooks' `X-API-Key`, or `Authorization: Bearer <key>`. */
function keyFrom(req: Request): string | undefined {
  const header = req.get('d360-api-key') ?? req.get('x-api-key');
  if (header) return header.trim();
  const auth = req.get('authorization');
  const match = auth?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Resolves the key from the headers alone, before any body is read; failures count against the address. */
export function requireChannelKey(verifier: ChannelKeyVerifier, limits: RateLimits) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const meta = requestMetaOf(req);
    const grant = await withAuthFailureBudget(
      { limits, ip: meta.ip, setHeaders: (h) => res.set(h) },
      async () => {
        const key = keyFrom(req);
        if (!key) throw new AppError('unauthorized', 'Send the channel API key in the D360-API-KEY header');
        const found = await verifier.verify(key);
        if (!found)
          throw new AppError('unauthorized', 'The API key is invalid, revoked, or no longer has access');
        return found;
      },
    );
    res.locals.grant = grant;
    res.locals.actor = { type: 'channel_api_key', id: grant.keyId, ...meta };
    next();
  };
}
