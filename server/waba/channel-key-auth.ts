import type { IncomingHttpHeaders } from 'node:http';
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
function keyFrom(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['d360-api-key'] ?? headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header.trim();
  const match = headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/**
 * The grant of the key in `headers`, from the headers alone (before any body is read); a
 * failure counts against the caller's address. Shared by the Express routes and the send
 * endpoint served before Express.
 */
export function authenticateChannelKey(
  verifier: ChannelKeyVerifier,
  limits: RateLimits,
  caller: {
    headers: IncomingHttpHeaders;
    ip: string | undefined;
    setHeader(name: string, value: string): void;
  },
): Promise<ChannelKeyGrant> {
  return withAuthFailureBudget(
    {
      limits,
      ip: caller.ip,
      setHeaders: (h) => {
        for (const [name, value] of Object.entries(h)) caller.setHeader(name, value);
      },
    },
    async () => {
      const key = keyFrom(caller.headers);
      if (!key) throw new AppError('unauthorized', 'Send the channel API key in the D360-API-KEY header');
      const found = await verifier.verify(key);
      if (!found)
        throw new AppError('unauthorized', 'The API key is invalid, revoked, or no longer has access');
      return found;
    },
  );
}

export function requireChannelKey(verifier: ChannelKeyVerifier, limits: RateLimits) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const meta = requestMetaOf(req);
    const grant = await authenticateChannelKey(verifier, limits, {
      headers: req.headers,
      ip: meta.ip,
      setHeader: (name, value) => res.set(name, value),
    });
    res.locals.grant = grant;
    res.locals.actor = { type: 'channel_api_key', id: grant.keyId, ...meta };
    next();
  };
}
