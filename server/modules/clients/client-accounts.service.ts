import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { violatesUnique } from '../../db/unique-violation.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../audit/actor.ts';
import { acceptTerms } from '../billing/acceptance.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { ClientUser } from './client-user.entity.ts';
import { createClient } from './clients.service.ts';
import { normaliseEmail } from './email.ts';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './passwords.ts';

/** The constraint that makes an email one account, however many sign up with it at once. */
const EMAIL_UNIQUE = 'client_users_email_unique';

const emailTaken = () =>
  new AppError('conflict', 'An account with this email exists already: log in instead', { field: 'email' });

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | undefined;
  businessName?: string | undefined;
  partnerPayload?: string | undefined;
  /** The terms version the sign-up form linked (Partner Payment). */
  acceptedTerms?: { version: number } | undefined;
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
  // The friendly early answer; the unique constraint below is what decides under a race.
  if (await em.count(ClientUser, { email })) throw emailTaken();
  const passwordHash = await hashPassword(input.password);
  try {
    return await em.transactional(async (tx) => {
      const client = await createClient(
        tx,
        clock,
        partner,
        { name: input.businessName ?? input.name ?? null, partnerPayload: input.partnerPayload ?? null },
        actor,
      );
      // Partner Payment: the sign-up form linked these terms, and creating the account accepts them.
      if (input.acceptedTerms)
        acceptTerms(
          tx,
          clock,
          client,
          { termsVersion: input.acceptedTerms.version, priceListVersion: null },
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
  } catch (err) {
    if (violatesUnique(err, EMAIL_UNIQUE)) throw emailTaken();
    throw err;
  }
}

/** The user whose password matches, or null; never says which of the two was wrong. */
export async function authenticateClientUser(
  em: EntityManager,
  clock: Clock,
  email: string,
  password: string,
): Promise<ClientUser | null> {
  const user = await em.findOne(ClientUser, { email: normaliseEmail(email) }, { populate: ['client'] });
  if (!user) return verifyAgainstDummy(password).then(() => null);
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  if (needsRehash(user.passwordHash)) user.passwordHash = await hashPassword(password);
  user.lastLoginAt = clock.now();
  await em.flush();
  return user;
}
