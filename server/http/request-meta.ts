import type { Request } from 'express';
import type {} from 'pino-http';
import type { Actor } from '../modules/audit/actor.ts';

export interface RequestMeta {
  requestId: string;
  ip: string | undefined;
  userAgent: string | undefined;
}

export function requestMetaOf(req: Request): RequestMeta {
  return { requestId: String(req.id), ip: req.ip, userAgent: req.get('user-agent') };
}

export function partnerTokenActor(tokenId: string, meta: RequestMeta): Actor {
  return { type: 'partner_token', id: tokenId, ...meta };
}
