import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import {
  generateToken,
  hashToken,
  isWellFormedToken,
  lastFour,
  TOKEN_PREFIXES,
} from '../../crypto/tokens.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Partner } from './partner.entity.ts';
import { PartnerToken } from './partner-token.entity.ts';

export const DEFAULT_TOKEN_GRACE_SECONDS = 24 * 60 * 60;
export const MAX_TOKEN_GRACE_SECONDS = 30 * 24 * 60 * 60;

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
 * window (0 ends them now), so a partner can roll its credentials without downtime.
 */
export async function rotatePartnerToken(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  actor: Actor,
  graceSeconds = DEFAULT_TOKEN_GRACE_SECONDS,
): Promise<IssuedToken> {
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_TOKEN_GRACE_SECONDS) {
    throw new AppError(
      'validation_failed',
      `grace_period_seconds must be an integer from 0 to ${MAX_TOKEN_GRACE_SECONDS}`,
    );
  }
  const now = clock.now();
  const deadline = new Date(now.getTime() + graceSeconds * 1000);
  const live = await em.find(PartnerToken, { partner, revokedAt: null });
  for (const old of live) {
    if (old.isUsableAt(now) && (!old.expiresAt || old.expiresAt > deadline)) old.expiresAt = deadline;
  }
  const issued = issuePartnerToken(em, partner);
  recordAudit(em, actor, {
    partner,
    action: 'partner_token.rotated',
    target: { type: 'partner_token', id: issued.record.id },
    details: { last4: issued.record.last4, grace_period_seconds: graceSeconds, superseded: live.length },
  });
  await em.flush();
  return { ...issued, previousTokensExpireAt: deadline };
}

/**
 * Resolves a presented token to its partner. The checksum is checked before the database
 * is touched, so random or mistyped tokens cost nothing.
 */
export async function authenticatePartnerToken(
  em: EntityManager,
  clock: Clock,
  presented: string | undefined,
): Promise<{ partner: Partner; token: PartnerToken }> {
  if (!presented)
    throw new AppError('unauthorized', 'A partner token is required (Authorization: Bearer or X-API-Key)');
  if (!isWellFormedToken(presented, TOKEN_PREFIXES.partnerToken)) {
    throw new AppError('unauthorized', 'The partner token is not valid');
  }
  const token = await em.findOne(
    PartnerToken,
    { tokenHash: hashToken(presented) },
    { populate: ['partner'] },
  );
  const now = clock.now();
  if (!token?.isUsableAt(now)) throw new AppError('unauthorized', 'The partner token is not valid');
  // Minute resolution is enough for "last used", and spares a write on every request.
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await em.nativeUpdate(PartnerToken, { id: token.id }, { lastUsedAt: now });
    token.lastUsedAt = now;
  }
  return { partner: token.partner, token };
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** Tokens that still work (including superseded ones in their grace window). */
export async function listPartnerTokens(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
): Promise<PartnerToken[]> {
  const now = clock.now();
  return em.find(
    PartnerToken,
    { partner, revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] },
    { orderBy: { id: 'desc' } },
  );
}

/** Revocation is immediate, including for the token making the request. */
export async function revokePartnerToken(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  tokenId: string,
  actor: Actor,
): Promise<void> {
  const token = await em.findOne(PartnerToken, { id: tokenId, partner, revokedAt: null });
  if (!token) throw new AppError('not_found', `No token ${tokenId}`);
  token.revokedAt = clock.now();
  recordAudit(em, actor, {
    partner,
    action: 'partner_token.revoked',
    target: { type: 'partner_token', id: token.id },
    details: { last4: token.last4 },
  });
  await em.flush();
}
