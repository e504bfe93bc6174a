import { AppError } from '../errors.ts';

/**
 * A partner-chosen webhook secret, stored with this prefix: it is the HMAC key itself (its UTF-8
 * bytes), as Dualhook's and most receivers' plain `HMAC-SHA256(secret, body)` checks expect,
 * while a generated `whsec_…` secret keys Standard Webhooks with its base64-decoded part.
 */
export const CHOSEN_SECRET_PREFIX = 'chosen:';

/**
 * What to store for a secret the partner chose (16–256 characters): a `whsec_` secret whose
 * base64 part decodes to 24–64 bytes is a Standard Webhooks secret and kept as is; any other
 * string is used as the key as typed.
 */
export function storedChosenSecret(secret: string, field: string): string {
  if (!secret.startsWith('whsec_')) return `${CHOSEN_SECRET_PREFIX}${secret}`;
  const encoded = secret.slice('whsec_'.length);
  const bytes = Buffer.from(encoded, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || bytes.length < 24 || bytes.length > 64) {
    throw new AppError(
      'validation_failed',
      `${field}: a whsec_ secret must be whsec_ and the base64 of 24 to 64 bytes (or choose a secret without the whsec_ prefix)`,
      { issues: [{ path: field, message: 'invalid whsec_ secret' }] },
    );
  }
  return secret;
}

/** The HMAC key bytes of a stored secret, for Standard Webhooks and for the plain signature. */
export function secretKeys(stored: string): { standard: Buffer; plain: Buffer } {
  if (stored.startsWith(CHOSEN_SECRET_PREFIX)) {
    const key = Buffer.from(stored.slice(CHOSEN_SECRET_PREFIX.length));
    return { standard: key, plain: key };
  }
  const encoded = stored.startsWith('whsec_') ? stored.slice('whsec_'.length) : stored;
  return { standard: Buffer.from(encoded, 'base64'), plain: Buffer.from(stored) };
}

/** The secret as the partner knows it (as chosen, or `whsec_…`). */
export const shownSecret = (stored: string): string =>
  stored.startsWith(CHOSEN_SECRET_PREFIX) ? stored.slice(CHOSEN_SECRET_PREFIX.length) : stored;

/** The same key in the `whsec_` form Standard Webhooks libraries take. */
export function standardWebhooksSecret(stored: string): string {
  return stored.startsWith(CHOSEN_SECRET_PREFIX)
    ? `whsec_${secretKeys(stored).standard.toString('base64')}`
    : stored;
}
