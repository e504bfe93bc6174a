import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';

/** RFC 5321's limit on a forward path; anything longer cannot be delivered to. */
export const MAX_EMAIL_LENGTH = 254;

/**
 * The one identity an email address stands for: compatibility forms folded (NFKC, so full-width
 * or ligature look-alikes collapse), surrounding whitespace of any kind removed (`trim` covers
 * tabs, no-break and other Unicode spaces), lower-cased. Signup stores it, login looks it up and
 * the login throttle counts it, so no spelling of an address escapes the throttle of the
 * account it would open.
 */
export function normaliseEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

/** A form's email field: normalised first, then checked, so padding is neither an error nor a new identity. */
export const EmailField = safeString()
  .transform(normaliseEmail)
  .pipe(z.email('Enter a valid email address').max(MAX_EMAIL_LENGTH, 'This email address is too long'));
