import type { EntityManager } from '@mikro-orm/postgresql';
import type { NextFunction, Request, Response } from 'express';
import { partnerCredentialFrom } from '../auth/credentials.ts';
import { TOKEN_PREFIXES } from '../crypto/tokens.ts';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import { LinkedDeviceSession } from '../linked-devices/linked-device-session.entity.ts';
import { getLinkedDeviceSession, listLinkedDeviceSessions } from '../linked-devices/sessions.service.ts';
import type { ChannelKeyVerifier } from '../modules/messaging/channel-key-verifier.ts';
import { Partner } from '../modules/partners/partner.entity.ts';
import type { Page, PageQuery } from '../pagination.ts';
import { requirePartner } from '../rest/partner-auth.ts';
import { rateLimit } from '../rest/rate-limit.ts';
import { requireChannelKey } from '../waba/channel-key-auth.ts';

declare global {
  namespace Express {
    interface Locals {
      /** On /v1: which credential authenticated (`res.locals.principal` or `res.locals.grant`). */
      whathooksCaller: 'partner' | 'channel_key';
    }
  }
}

/**
 * whathooks has one kind of API key; the hub has two, told apart by their prefix and checked by
 * their own code: a partner token (`hubp_…`: the partner's sessions, on the partner's read and
 * write budgets) or a channel API key (`hubk_…`: only its channel's session, like /waba, where
 * the number's own send limit is the budget). Either in `X-API-Key` or `Authorization: Bearer`.
 */
export function requireWhathooksCaller(deps: Hub, verifier: ChannelKeyVerifier) {
  const partner = requirePartner(deps);
  const budget = rateLimit(deps);
  const channelKey = requireChannelKey(verifier, deps.rateLimits);
  return async (req: Request, res: Response, next: NextFunction) => {
    if (partnerCredentialFrom(req.headers)?.startsWith(`${TOKEN_PREFIXES.channelApiKey}_`)) {
      res.locals.whathooksCaller = 'channel_key';
      return channelKey(req, res, next);
    }
    res.locals.whathooksCaller = 'partner';
    let authenticated = false;
    await partner(req, res, () => {
      authenticated = true;
    });
    if (authenticated) await budget(req, res, next);
  };
}

/** The partner acting: the token's, or the one the channel key was minted by. */
export function callerPartner(res: Response): Partner {
  const em: EntityManager = res.locals.em;
  return res.locals.whathooksCaller === 'partner'
    ? res.locals.partner
    : em.getReference(Partner, res.locals.grant.partnerId);
}

/** The linked-device session of the key's channel, if its channel is one. */
function sessionOfKey(em: EntityManager, res: Response): Promise<LinkedDeviceSession | null> {
  const { channelId, partnerId } = res.locals.grant;
  return em.findOne(
    LinkedDeviceSession,
    { channel: channelId, partner: partnerId },
    { populate: ['channel', 'client'], refresh: true },
  );
}

/** A session the caller may see: another partner's, or another channel's for a key, looks missing. */
export async function callerSession(res: Response, id: string): Promise<LinkedDeviceSession> {
  const em: EntityManager = res.locals.em;
  if (res.locals.whathooksCaller === 'partner') return getLinkedDeviceSession(em, res.locals.partner, id);
  const session = await sessionOfKey(em, res);
  if (session?.id !== id) throw new AppError('not_found', `No linked-device session ${id}`);
  return session;
}

export async function callerSessions(res: Response, page: PageQuery): Promise<Page<LinkedDeviceSession>> {
  const em: EntityManager = res.locals.em;
  if (res.locals.whathooksCaller === 'partner') return listLinkedDeviceSessions(em, res.locals.partner, page);
  const session = await sessionOfKey(em, res);
  return { items: session && !page.cursor ? [session] : [], nextCursor: null };
}

/** Creating sessions mints channels: a partner's act, never a channel key's. */
export function assertPartnerCaller(res: Response): void {
  if (res.locals.whathooksCaller !== 'partner')
    throw new AppError('forbidden', 'Creating sessions needs a partner token, not a channel API key');
}

/** Every session the caller may see (ids and channels only): what `GET /v1/messages` reads the logs of. */
export async function callerSessionChannels(
  res: Response,
  sessionId: string | undefined,
): Promise<{ id: string; channelId: string }[]> {
  const em: EntityManager = res.locals.em;
  if (sessionId) {
    const session = await callerSession(res, sessionId);
    return [{ id: session.id, channelId: session.channel.id }];
  }
  if (res.locals.whathooksCaller === 'partner') {
    const rows = await em.find(
      LinkedDeviceSession,
      { partner: res.locals.partner },
      { fields: ['id', 'channel'] },
    );
    return rows.map((s) => ({ id: s.id, channelId: s.channel.id }));
  }
  const session = await sessionOfKey(em, res);
  return session ? [{ id: session.id, channelId: session.channel.id }] : [];
}
