import type { EntityManager } from '@mikro-orm/postgresql';
import argon2 from 'argon2';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { ClientUser } from './client-user.entity.ts';
import { createClient } from './clients.service.ts';
import { normaliseEmail } from './email.ts';

/** OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Verifying against this when the email is unknown keeps both answers equally slow. */
let dummyHash: Promise<string> | undefined;

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | undefined;
  businessName?: string | undefined;
  partnerPayload?: string | undefined;
}

/** A business signs up through a partner's page: a new Client of that partner and its first user. */
export async function signUpClientUser(
  em: EntityManager,
  clock: Clock,
  partner: Partner,
  input: SignUpInput,
  actor: Actor,
): Promise<ClientUser> {
  const email = normaliseEmail(input.email);
  if (await em.count(ClientUser, { email })) {
    throw new AppError('conflict', 'An account with this email exists already: log in instead', {
      field: 'email',
    });
  }
  const passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
  return em.transactional(async (tx) => {
    const client = await createClient(
      tx,
      clock,
      partner,
      { name: input.businessName ?? input.name ?? null, partnerPayload: input.partnerPayload ?? null },
      actor,
    );
    const user = tx.create(ClientUser, {
      client,
      email,
      passwordHash,
      name: input.name ?? null,
      lastLoginAt: clock.now(),
      createdAt: clock.now(),
    });
    await tx.flush();
    return user;
  });
}

/** The user whose password matches, or null; never says which of the two was wrong. */
export async function authenticateClientUser(
  em: EntityManager,
  clock: Clock,
  email: string,
  password: string,
): Promise<ClientUser | null> {
  const user = await em.findOne(ClientUser, { email: normaliseEmail(email) }, { populate: ['client'] });
  if (!user) {
    dummyHash ??= argon2.hash('not-a-password', ARGON2_OPTIONS);
    await argon2.verify(await dummyHash, password).catch(() => false);
    return null;
  }
  if (!(await argon2.verify(user.passwordHash, password).catch(() => false))) return null;
  if (argon2.needsRehash(user.passwordHash, ARGON2_OPTIONS)) {
    user.passwordHash = await argon2.hash(password, ARGON2_OPTIONS);
  }
  user.lastLoginAt = clock.now();
  await em.flush();
  return user;
}
