import { credentialHash, newAccessToken, newAuthCode } from '../ids.ts';
import { asDate, asOptionalDate, type Query } from './db.ts';

export const SCOPES = [
  'whatsapp_business_management',
  'whatsapp_business_messaging',
  'business_management',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Embedded Signup codes are single-use and short-lived, as Meta's are. */
export const AUTH_CODE_TTL_MS = 10 * 60 * 1000;

/** What an access token may touch: Meta's granular scopes, scope → object ids. */
export interface TokenGrant {
  tokenHash: string;
  businessId: string;
  userId: string;
  issuedAt: Date;
  expiresAt: Date | null;
  invalidatedAt: Date | null;
  scopes: Record<Scope, ReadonlySet<string>>;
}

export function grantAllows(grant: TokenGrant, scope: Scope, targetId: string): boolean {
  return grant.scopes[scope].has(targetId);
}

export async function issueAuthCode(
  q: Query,
  target: { businessId: string; wabaId: string },
  now: Date,
): Promise<string> {
  const code = newAuthCode();
  await q(
    'insert into sandbox.auth_codes (code_hash, business_id, waba_id, created_at, expires_at) values (?, ?, ?, ?, ?)',
    [credentialHash(code), target.businessId, target.wabaId, now, new Date(now.getTime() + AUTH_CODE_TTL_MS)],
  );
  return code;
}

export type Redemption =
  | { ok: true; accessToken: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * Trades a code for a business integration system user token scoped to exactly the WABA
 * and business of the signup. Must run in a transaction: the row lock makes a code
 * redeemable once even when two exchanges race.
 */
export async function redeemAuthCode(q: Query, code: string, now: Date): Promise<Redemption> {
  const rows = await q(
    `select c.code_hash, c.business_id, c.waba_id, c.expires_at, c.used_at, b.system_user_id
       from sandbox.auth_codes c join sandbox.businesses b on b.id = c.business_id
      where c.code_hash = ? for update of c`,
    [credentialHash(code)],
  );
  const row = rows[0];
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.used_at !== null) return { ok: false, reason: 'used' };
  if (asDate(row.expires_at) <= now) return { ok: false, reason: 'expired' };
  await q('update sandbox.auth_codes set used_at = ? where code_hash = ?', [now, row.code_hash]);

  const accessToken = newAccessToken();
  const tokenHash = credentialHash(accessToken);
  await q(
    'insert into sandbox.access_tokens (token_hash, business_id, user_id, issued_at) values (?, ?, ?, ?)',
    [tokenHash, row.business_id, row.system_user_id, now],
  );
  await q(
    `insert into sandbox.token_scopes (token_hash, scope, target_id) values
       (?, 'whatsapp_business_management', ?), (?, 'whatsapp_business_messaging', ?), (?, 'business_management', ?)`,
    [tokenHash, row.waba_id, tokenHash, row.waba_id, tokenHash, row.business_id],
  );
  return { ok: true, accessToken };
}

export async function findTokenGrant(q: Query, token: string): Promise<TokenGrant | undefined> {
  const tokenHash = credentialHash(token);
  const rows = await q(
    `select t.business_id, t.user_id, t.issued_at, t.expires_at, t.invalidated_at, s.scope, s.target_id
       from sandbox.access_tokens t left join sandbox.token_scopes s on s.token_hash = t.token_hash
      where t.token_hash = ?`,
    [tokenHash],
  );
  const first = rows[0];
  if (!first) return undefined;
  const scopes = Object.fromEntries(SCOPES.map((s) => [s, new Set<string>()])) as Record<Scope, Set<string>>;
  for (const r of rows) {
    if (r.scope) scopes[r.scope as Scope]?.add(String(r.target_id));
  }
  return {
    tokenHash,
    businessId: String(first.business_id),
    userId: String(first.user_id),
    issuedAt: asDate(first.issued_at),
    expiresAt: asOptionalDate(first.expires_at),
    invalidatedAt: asOptionalDate(first.invalidated_at),
    scopes,
  };
}

/** Every still-valid token that can manage `wabaId` expires now (the hub then sees 190/463). */
export async function expireWabaTokens(q: Query, wabaId: string, now: Date): Promise<number> {
  const rows = await q(
    `update sandbox.access_tokens set expires_at = ?
      where (expires_at is null or expires_at > ?) and invalidated_at is null
        and token_hash in (select token_hash from sandbox.token_scopes
                            where scope = 'whatsapp_business_management' and target_id = ?)
      returning token_hash`,
    [now, now, wabaId],
  );
  return rows.length;
}

/** The business removed the partner: its tokens for `wabaId` stop working for good (190/458). */
export async function revokeWabaTokens(q: Query, wabaId: string, now: Date): Promise<number> {
  const rows = await q(
    `update sandbox.access_tokens set invalidated_at = ?
      where invalidated_at is null
        and token_hash in (select token_hash from sandbox.token_scopes
                            where scope = 'whatsapp_business_management' and target_id = ?)
      returning token_hash`,
    [now, wabaId],
  );
  return rows.length;
}
