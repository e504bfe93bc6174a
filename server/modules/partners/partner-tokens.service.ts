import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { generateToken, hashToken, lastFour, TOKEN_PREFIXES } from '../../crypto/tokens.ts';
import { query } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import { decodeCursor, type Page, type PageQuery, toPage } from '../../pagination.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Partner } from './partner.entity.ts';
import { PartnerToken } from './partner-token.entity.ts';

export const DEFAULT_TOKEN_GRACE_SECONDS = 24 * 60 * 60;
export const MAX_TOKEN_GRACE_SECONDS = 30 * 24 * 60 * 60;
/** `PARTNER_TOKENS_MAX`'s default. */
export const DEFAULT_MAX_LIVE_TOKENS = 10;

export interface IssuedToken {
  token: string;
  record: PartnerToken;
  /** When the tokens this one superseded stop working. */
  previousTokensExpireAt?: Date;
}

/** Adds a token to the unit of work; the plaintext is returned once and never stored. */
export function issuePartnerToken(em: EntityManager, partner: Partner): IssuedToken {
  const token = generateToken(TOKEN_PREFIXES.partnerToken);
  const record = em.create(PartnerToken, { partner, tokenHash: hashToken(token), last4: lastFour(token) });
  return { token, record };
}

/**
 * Issues a new token and lets the partner's other live tokens run out after the grace
 * window (0 ends them now), so a partner can roll its credentials without downtime. A
 * rotation only ever shortens the life of the older tokens. Live tokens are capped per
 * partner (each one is a credential that can leak); a rotation with grace 0 always fits.
 */
export async function rotatePartnerToken(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  actor: Actor,
  graceSeconds = DEFAULT_TOKEN_GRACE_SECONDS,
  maxLiveTokens = DEFAULT_MAX_LIVE_TOKENS,
): Promise<IssuedToken> {
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_TOKEN_GRACE_SECONDS) {
    throw new AppError(
      'validation_failed',
      `grace_period_seconds must be an integer from 0 to ${MAX_TOKEN_GRACE_SECONDS}`,
    );
  }
  return em.transactional(async (tx) => {
    await lockTokensOf(tx, partner.id);
    await assertMayManageTokens(tx, clock, actor);
    const now = clock.now();
    const deadline = new Date(now.getTime() + graceSeconds * 1000);
    const live = await liveTokensOf(tx, partner.id, now);
    // A live token stays live through its grace window, so with any grace all of them count.
    const liveAfter = (graceSeconds > 0 ? live.length : 0) + 1;
    if (liveAfter > maxLiveTokens) {
      throw new AppError(
        'too_many_tokens',
        `A partner may have at most ${maxLiveTokens} working tokens and this one has ${live.length}; ` +
          'revoke some, or rotate with grace_period_seconds 0 to end the others now',
        { max_live_tokens: maxLiveTokens, live_tokens: live.length },
      );
    }
    for (const old of live) {
      if (!old.expiresAt || old.expiresAt > deadline) old.expiresAt = deadline;
    }
    const issued = issuePartnerToken(tx, partner);
    recordAudit(tx, actor, {
      partner,
      action: 'partner_token.rotated',
      target: { type: 'partner_token', id: issued.record.id },
      details: { last4: issued.record.last4, grace_period_seconds: graceSeconds, superseded: live.length },
    });
    return { ...issued, previousTokensExpireAt: deadline };
  });
}

/**
 * A superseded token (one in its rotation grace window) keeps using the API until it expires
 * but may not rotate or revoke tokens: it is often superseded because it leaked, and its holder
 * could otherwise mint a token that never expires and put the owner's new one on a clock.
 * The operator and current tokens pass.
 */
export async function assertMayManageTokens(em: EntityManager, clock: Clock, actor: Actor): Promise<void> {
  if (actor.type !== 'partner_token' || !actor.id) return;
  const caller = await em.findOne(PartnerToken, actor.id, { refresh: true });
  if (!caller?.isUsableAt(clock.now())) throw new AppError('unauthorized', 'The partner token is not valid');
  if (caller.expiresAt) {
    throw new AppError(
      'token_superseded',
      `This token was superseded by a rotation and stops working at ${caller.expiresAt.toISOString()}; ` +
        'until then it can call the API, but only a current token can rotate or revoke tokens',
    );
  }
}

/** Serialises token changes of one partner, so the caller check and the rotation see the same tokens. */
async function lockTokensOf(tx: EntityManager, partnerId: string): Promise<void> {
  await query(tx, 'select pg_advisory_xact_lock(hashtextextended(?, 0))', [`partner_tokens:${partnerId}`]);
}

function liveTokensOf(em: EntityManager, partnerId: string, now: Date): Promise<PartnerToken[]> {
  return em.find(
    PartnerToken,
    { partner: partnerId, revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] },
    { orderBy: { id: 'desc' }, refresh: true },
  );
}

/** Moved to `server/auth/partner-tokens.ts` (one module for REST, tRPC and `/waba`); kept here for callers. */

/** Tokens that still work (including superseded ones in their grace window), newest first. */
export async function listPartnerTokens(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  page: PageQuery,
): Promise<Page<PartnerToken>> {
  const before = decodeCursor(page.cursor, 'partnerToken');
  const rows = await em.find(
    PartnerToken,
    {
      partner,
      revokedAt: null,
      $or: [{ expiresAt: null }, { expiresAt: { $gt: clock.now() } }],
      ...(before ? { id: { $lt: before } } : {}),
    },
    { orderBy: { id: 'desc' }, limit: page.limit + 1 },
  );
  return toPage(rows, page.limit, (t) => t.id);
}

/** Revocation is immediate, including for the token making the request. */
export async function revokePartnerToken(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  tokenId: string,
  actor: Actor,
): Promise<void> {
  await em.transactional(async (tx) => {
    await lockTokensOf(tx, partner.id);
    await assertMayManageTokens(tx, clock, actor);
    const token = await tx.findOne(PartnerToken, { id: tokenId, partner, revokedAt: null });
    if (!token) throw new AppError('not_found', `No token ${tokenId}`);
    token.revokedAt = clock.now();
    recordAudit(tx, actor, {
      partner,
      action: 'partner_token.revoked',
      target: { type: 'partner_token', id: token.id },
      details: { last4: token.last4 },
    });
  });
}
