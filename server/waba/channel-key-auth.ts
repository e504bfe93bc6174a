import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors.ts';
import { requestMetaOf } from '../http/request-meta.ts';
import type { ChannelKeyGrant, ChannelKeyVerifier } from '../modules/messaging/channel-key-verifier.ts';

declare global {
  namespace Express {
    interface Locals {
      /** Set on /waba routes: the channel the API key may act on. */
      grant: ChannelKeyGrant;
    }
  }
}

/** 360dialog's `D360-API-KEY` header, or `Authorization: Bearer <key>`. */
function keyFrom(req: Request): string | undefined {
  const d360 = req.get('d360-api-key');
  if (d360) return d360.trim();
  const auth = req.get('authorization');
  const match = auth?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

export function requireChannelKey(verifier: ChannelKeyVerifier) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = keyFrom(req);
    if (!key) throw new AppError('unauthorized', 'Send the channel API key in the D360-API-KEY header');
    const grant = await verifier.verify(key);
    if (!grant)
      throw new AppError('unauthorized', 'The API key is invalid, revoked, or no longer has access');
    res.locals.grant = grant;
    res.locals.actor = { type: 'channel_api_key', id: grant.keyId, ...requestMetaOf(req) };
    next();
  };
}
