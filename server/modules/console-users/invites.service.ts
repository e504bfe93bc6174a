import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { PartnerUserRole } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { generateToken, hashToken, isWellFormedToken, TOKEN_PREFIXES } from '../../crypto/tokens.ts';
import { violatesUnique } from '../../db/unique-violation.ts';
import { AppError } from '../../errors.ts';
import type { RequestMeta } from '../../http/request-meta.ts';
import { newId } from '../../ids.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { normaliseEmail } from '../clients/email.ts';
import { hashPassword } from '../clients/passwords.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { ConsoleInvite } from './console-invite.entity.ts';
import { ConsoleUser } from './console-user.entity.ts';
import { CONSOLE_EMAIL_UNIQUE, consoleEmailTaken } from './console-users.service.ts';

export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

export type InviteState = 'pending' | 'accepted' | 'revoked' | 'expired';

export function inviteState(invite: ConsoleInvite, now: Date): InviteState {
  if (invite.acceptedAt) return 'accepted';
  if (invite.revokedAt) return 'revoked';
  return invite.expiresAt <= now ? 'expired' : 'pending';
}

/**
 * Every unusable link gets the same code: only its holder sees the reason (in `details`), and an
 * unknown token says no more than "unknown", so the answer tells a guesser nothing.
 */
const unusable = (reason: InviteState | 'unknown') =>
  new AppError(
    'not_found',
    reason === 'unknown'
      ? 'This invite link is not valid: check that it was copied whole'
      : `This invite link was ${reason === 'accepted' ? 'used already' : reason}: ask an owner for a new one`,
    { reason },
  );

async function emailIsTaken(em: EntityManager, email: string): Promise<boolean> {
  return (await em.count(ConsoleUser, { email })) > 0;
}

/** Invites of the partner that can still be accepted, newest first. */
export function listPendingInvites(
  em: EntityManager,
  partnerId: string,
  now: Date,
): Promise<ConsoleInvite[]> {
  return em.find(
    ConsoleInvite,
    { partner: partnerId, acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } },
    { orderBy: { createdAt: 'desc', id: 'desc' }, populate: ['invitedBy'] },
  );
}

/**
 * A one-time link for `email` to join `partner` as `role`, valid for 7 days. Only the token's
 * digest is stored: the token is returned once. Earlier pending invites for the same address are
 * revoked, so only the newest link works and the role is the one last chosen.
 */
export async function createInvite(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  input: { email: string; role: PartnerUserRole },
  invitedBy: ConsoleUser,
  actor: Actor,
): Promise<{ invite: ConsoleInvite; token: string }> {
  const email = normaliseEmail(input.email);
  if (await emailIsTaken(em, email)) throw consoleEmailTaken();
  const token = generateToken(TOKEN_PREFIXES.consoleInvite);
  const now = clock.now();
  const invite = await em.transactional(async (tx) => {
    const earlier = await tx.find(ConsoleInvite, {
      partner: partner.id,
      email,
      acceptedAt: null,
      revokedAt: null,
      expiresAt: { $gt: now },
    });
    for (const old of earlier) old.revokedAt = now;
    const created = tx.create(ConsoleInvite, {
      id: newId('consoleInvite'),
      partner,
      email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy,
      expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      acceptedAt: null,
      revokedAt: null,
      createdAt: now,
    });
    recordAudit(tx, actor, {
      partner,
      action: 'console_invite.created',
      target: { type: 'console_invite', id: created.id },
      details: { email, role: input.role, replaced: earlier.map((i) => i.id) },
    });
    return created;
  });
  return { invite, token };
}

export async function revokeInvite(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  inviteId: string,
  actor: Actor,
): Promise<void> {
  await em.transactional(async (tx) => {
    const invite = await tx.findOne(ConsoleInvite, { id: inviteId, partner: partner.id });
    if (!invite) throw new AppError('not_found', 'No such invite in this partner');
    const state = inviteState(invite, clock.now());
    if (state !== 'pending') throw new AppError('conflict', `This invite is ${state} already`, { state });
    invite.revokedAt = clock.now();
    recordAudit(tx, actor, {
      partner,
      action: 'console_invite.revoked',
      target: { type: 'console_invite', id: invite.id },
      details: { email: invite.email },
    });
  });
}

/** The pending invite a link holds, or `not_found` with the reason it cannot be used. */
async function usableInvite(
  em: EntityManager,
  clock: Clock,
  token: string,
  lock = false,
): Promise<ConsoleInvite> {
  if (!isWellFormedToken(token, TOKEN_PREFIXES.consoleInvite)) throw unusable('unknown');
  const invite = await em.findOne(
    ConsoleInvite,
    { tokenHash: hashToken(token) },
    lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : { populate: ['partner'] },
  );
  if (!invite) throw unusable('unknown');
  const state = inviteState(invite, clock.now());
  if (state !== 'pending') throw unusable(state);
  return invite;
}

/** What the accept page shows before the invitee chooses a password. */
export async function previewInvite(em: EntityManager, clock: Clock, token: string) {
  const invite = await usableInvite(em, clock, token);
  return { invite, partner: invite.partner };
}

/**
 * Makes the invitee a console user of the invite's partner, with the invite's role and address,
 * and uses the invite up. The row is locked, so two tabs accepting the same link make one user.
 */
export async function acceptInvite(
  em: EntityManager,
  clock: Clock,
  token: string,
  input: { name: string; password: string },
  request: RequestMeta,
): Promise<ConsoleUser> {
  // Checked first, so a dead link costs no password hash; hashed before the row is locked,
  // as argon2id takes a while; checked again under the lock, where it counts.
  await usableInvite(em, clock, token);
  const passwordHash = await hashPassword(input.password);
  try {
    return await em.transactional(async (tx) => {
      const invite = await usableInvite(tx, clock, token, true);
      if (await emailIsTaken(tx, invite.email)) throw consoleEmailTaken();
      const now = clock.now();
      invite.acceptedAt = now;
      const user = tx.create(ConsoleUser, {
        id: newId('consoleUser'),
        partner: invite.partner,
        email: invite.email,
        name: input.name,
        passwordHash,
        role: invite.role,
        createdAt: now,
      });
      recordAudit(
        tx,
        { type: 'partner_user', id: user.id, ...request },
        {
          partner: invite.partner,
          action: 'console_invite.accepted',
          target: { type: 'console_user', id: user.id },
          details: { invite_id: invite.id, role: invite.role },
        },
      );
      await tx.flush();
      await tx.populate(user, ['partner']);
      return user;
    });
  } catch (err) {
    if (violatesUnique(err, CONSOLE_EMAIL_UNIQUE)) throw consoleEmailTaken();
    throw err;
  }
}
