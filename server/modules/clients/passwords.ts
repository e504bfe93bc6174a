import argon2 from 'argon2';
import { createWorkLimiter } from '../../security/work-limiter.ts';

/** OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Every argon2 run in this process goes through here. Each costs ~19 MiB and tens of ms of a
 * libuv thread, so two at a time (leaving the rest of the thread pool to fs and DNS) and a short
 * queue (a few hundred ms of waiting at most); more is shed with `server_busy`.
 */
export const passwordWork = createWorkLimiter({ concurrency: 2, maxQueued: 16 });

export const hashPassword = (password: string) =>
  passwordWork.run(() => argon2.hash(password, ARGON2_OPTIONS));

/** False for a wrong password and for a malformed hash alike. */
export const verifyPassword = (hash: string, password: string) =>
  passwordWork.run(() => argon2.verify(hash, password).catch(() => false));

export const needsRehash = (hash: string) => argon2.needsRehash(hash, ARGON2_OPTIONS);

/** Verifying against this when the email is unknown keeps both answers equally slow. */
let dummyHash: Promise<string> | undefined;

export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('not-a-password');
  // A shed dummy hash must not stick: the next unknown-email login tries again.
  const hash = await dummyHash.catch((err: unknown) => {
    dummyHash = undefined;
    throw err;
  });
  await verifyPassword(hash, password);
  return false;
}
