import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConsoleRole, PartnerUserRole } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { violatesUnique } from '../../db/unique-violation.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { normaliseEmail } from '../clients/email.ts';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from '../clients/passwords.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { ConsoleUser } from './console-user.entity.ts';

export const CONSOLE_EMAIL_UNIQUE = 'console_users_email_unique';

export const consoleEmailTaken = () =>
  new AppError('conflict', 'A console user with this email exists already', { field: 'email' });

export interface NewConsoleUser {
  partner: Partner | null;
  email: string;
  password: string;
  role: ConsoleRole;
  name?: string | null | undefined;
}

/** A console user; the email is normalised, the password hashed with argon2id. */
export async function createConsoleUser(
  em: EntityManager,
  clock: Clock,
  input: NewConsoleUser,
  actor: Actor,
): Promise<ConsoleUser> {
  if ((input.role === 'operator') !== (input.partner === null))
    throw new AppError('validation_failed', 'Operators belong to no partner; every other role to one', {
      field: 'role',
    });
  const passwordHash = await hashPassword(input.password);
  try {
    return await em.transactional(async (tx) => {
      const user = tx.create(ConsoleUser, {
        id: newId('consoleUser'),
        partner: input.partner,
        email: normaliseEmail(input.email),
        name: input.name ?? null,
        passwordHash,
        role: input.role,
        createdAt: clock.now(),
      });
      recordAudit(tx, actor, {
        partner: input.partner,
        action: 'console_user.created',
        target: { type: 'console_user', id: user.id },
        details: { role: input.role },
      });
      await tx.flush();
      return user;
    });
  } catch (err) {
    if (violatesUnique(err, CONSOLE_EMAIL_UNIQUE)) throw consoleEmailTaken();
    throw err;
  }
}

/** The user whose password matches, or null; never says which of the two was wrong. */
export async function verifyConsolePassword(
  em: EntityManager,
  email: string,
  password: string,
): Promise<ConsoleUser | null> {
  const user = await em.findOne(ConsoleUser, { email: normaliseEmail(email) }, { populate: ['partner'] });
  if (!user) return verifyAgainstDummy(password).then(() => null);
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  if (needsRehash(user.passwordHash)) {
    user.passwordHash = await hashPassword(password);
    await em.flush();
  }
  return user;
}

export async function recordConsoleLogin(em: EntityManager, clock: Clock, user: ConsoleUser): Promise<void> {
  user.lastLoginAt = clock.now();
  await em.flush();
}

export function listPartnerUsers(em: EntityManager, partnerId: string): Promise<ConsoleUser[]> {
  return em.find(ConsoleUser, { partner: partnerId }, { orderBy: { id: 'asc' } });
}

async function partnerUser(em: EntityManager, partnerId: string, userId: string): Promise<ConsoleUser> {
  const user = await em.findOne(ConsoleUser, { id: userId, partner: partnerId });
  if (!user) throw new AppError('not_found', 'No such user in this partner');
  return user;
}

/** A partner always keeps an owner: the last one can be neither demoted nor removed. */
async function assertAnotherOwner(em: EntityManager, partnerId: string, user: ConsoleUser): Promise<void> {
  if (user.role !== 'owner') return;
  const owners = await em.count(ConsoleUser, { partner: partnerId, role: 'owner' });
  if (owners <= 1)
    throw new AppError('conflict', 'A partner keeps at least one owner: make someone else owner first');
}

export async function changePartnerUserRole(
  em: EntityManager,
  partnerId: string,
  userId: string,
  role: PartnerUserRole,
  actor: Actor,
): Promise<ConsoleUser> {
  return em.transactional(async (tx) => {
    const user = await partnerUser(tx, partnerId, userId);
    if (role !== 'owner') await assertAnotherOwner(tx, partnerId, user);
    const from = user.role;
    user.role = role;
    recordAudit(tx, actor, {
      partner: user.partner ?? null,
      action: 'console_user.role_changed',
      target: { type: 'console_user', id: user.id },
      details: { from, to: role },
    });
    return user;
  });
}

/** Removes a teammate; their sessions end at their next request (each request loads the user). */
export async function removePartnerUser(
  em: EntityManager,
  partnerId: string,
  userId: string,
  actor: Actor,
): Promise<void> {
  await em.transactional(async (tx) => {
    const user = await partnerUser(tx, partnerId, userId);
    await assertAnotherOwner(tx, partnerId, user);
    recordAudit(tx, actor, {
      partner: user.partner ?? null,
      action: 'console_user.removed',
      target: { type: 'console_user', id: user.id },
      details: { email: user.email },
    });
    tx.remove(user);
  });
}
