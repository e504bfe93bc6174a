import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { shownSecret } from '../crypto/chosen-secret.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Partner } from '../modules/partners/partner.entity.ts';
import { allowedRedirect } from '../modules/partners/redirect-allowlist.ts';
import { signingSecrets } from '../modules/webhooks/destination-secrets.ts';
import { primaryDestinationOf, sealedOf } from '../modules/webhooks/destinations.service.ts';
import { type SignedParams, signedParamsOf, signLinkV2 } from './signed-visit.ts';

const optionalText = (max: number) => safeString().max(max).optional().catch(undefined);

/**
 * The /permissions URL parameters (360dialog's names). Every one is optional; a malformed one
 * is dropped rather than failing the page, except `redirect_url`, which is checked on its own.
 */
export const PermissionsQuerySchema = z.object({
  email: z.email().max(320).optional().catch(undefined),
  name: optionalText(200),
  number: safeString()
    .transform((v) => v.replace(/[\s+()-]/g, ''))
    .pipe(safeString().regex(/^\d{6,20}$/))
    .optional()
    .catch(undefined),
  state: optionalText(2000),
  redirect_url: safeString().max(2048).optional(),
  partner: optionalText(2000),
  next: z.enum(['login', 'signup']).optional().catch(undefined),
  io_signature: optionalText(200),
  io_timestamp: optionalText(20),
  /** `2`: `io_signature` covers the visit's parameters too (signed-visit.ts). */
  io_version: z.enum(['1', '2']).optional().catch(undefined),
  /** Set by the page itself after "Add a number": the new channel starts ticked. */
  added: optionalText(64),
  /** The hub's own signature over `added`, so a link cannot pre-tick a number. */
  added_sig: optionalText(64),
});
export type PermissionsQuery = z.infer<typeof PermissionsQuerySchema>;

export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** `io_signature` = hex HMAC-SHA256 of `<partner_id>:<io_timestamp>` under the partner's webhook secret. */
export function signPermissionsParams(secret: string, partnerId: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${partnerId}:${timestamp}`).digest('hex');
}

/** What a fresh link signature proves: version 1 the partner and the time; version 2 the visit's parameters too. */
export type LinkProof = { version: 1 } | { version: 2; params: SignedParams };

/**
 * The link's `io_signature`, checked within ±5 minutes under the partner's webhook secret (and,
 * during a rotation, the previous one). `raw` is the query as sent: version 2 signs the values
 * the partner wrote, before any normalising.
 */
export async function linkProofOf(
  em: EntityManager,
  box: SecretBox,
  partner: Partner,
  query: PermissionsQuery,
  raw: Record<string, unknown>,
  now: Date,
): Promise<LinkProof | null> {
  const ts = Number(query.io_timestamp);
  if (!query.io_signature || !Number.isInteger(ts)) return null;
  if (Math.abs(now.getTime() / 1000 - ts) > SIGNATURE_TOLERANCE_SECONDS) return null;
  const primary = await primaryDestinationOf(em, partner.id);
  // Partners sign with the secret as they know it: a chosen one is stored with a prefix.
  const secrets = signingSecrets(box, sealedOf(primary), now).map(shownSecret);
  const given = Buffer.from(query.io_signature.toLowerCase());
  const params = signedParamsOf(raw);
  const v2 = query.io_version === '2';
  const valid = secrets.some((secret) => {
    const expected = Buffer.from(
      v2 ? signLinkV2(secret, partner.id, ts, params) : signPermissionsParams(secret, partner.id, ts),
    );
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) return null;
  return v2 ? { version: 2, params } : { version: 1 };
}

/** A valid signature within ±5 minutes makes the prefilled email and name trusted. */
export async function hasValidSignature(
  em: EntityManager,
  box: SecretBox,
  partner: Partner,
  query: PermissionsQuery,
  now: Date,
): Promise<boolean> {
  return (await linkProofOf(em, box, partner, query, query, now)) !== null;
}

/**
 * Where the visit ends: `redirect_url` only if it matches one of the partner's allowed
 * URLs (all but the query string; else `invalid`), otherwise the partner's `partner_redirect_url`, otherwise nowhere
 * (an inline success page).
 */
export function resolveRedirect(
  partner: Partner,
  requested: string | undefined,
): { ok: true; url: string | null } | { ok: false } {
  if (requested !== undefined && requested !== '') {
    const url = allowedRedirect(partner, requested);
    return url === null ? { ok: false } : { ok: true, url };
  }
  return { ok: true, url: partner.partnerRedirectUrl ?? null };
}
