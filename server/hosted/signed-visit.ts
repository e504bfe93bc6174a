import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * What a version-2 `io_signature` covers: every permission-page parameter that says who the
 * visitor is or what happens next. `added` is not here: the page sets it itself, with its own
 * hub-made signature (`signAdded`).
 */
export const SIGNED_PARAMS = ['email', 'name', 'number', 'state', 'redirect_url', 'partner', 'next'] as const;

export type SignedParams = Partial<Record<(typeof SIGNED_PARAMS)[number], string>>;

/** The covered parameters of a raw query or form, as sent (a repeated or nested one is not signable). */
export function signedParamsOf(raw: Record<string, unknown>): SignedParams {
  const out: SignedParams = {};
  for (const key of SIGNED_PARAMS) if (typeof raw[key] === 'string') out[key] = raw[key];
  return out;
}

/**
 * A version-2 link signature (`io_version=2`): hex HMAC-SHA256, under the partner's webhook
 * secret, of `v2:{partner_id}:{io_timestamp}:` followed by the JSON array of the covered
 * `[name, value]` pairs present, in the order of SIGNED_PARAMS. JSON leaves no ambiguity about
 * where a value ends.
 */
export function signLinkV2(
  secret: string,
  partnerId: string,
  timestamp: number,
  params: SignedParams,
): string {
  const pairs = SIGNED_PARAMS.filter((k) => params[k] !== undefined).map((k) => [k, params[k]]);
  return createHmac('sha256', secret)
    .update(`v2:${partnerId}:${timestamp}:${JSON.stringify(pairs)}`)
    .digest('hex');
}

const VISIT_TTL_MS = 3600_000;

/**
 * A signed link is valid for minutes, a signup takes longer: what a fresh signature proved is
 * kept in an HttpOnly cookie, HMAC-sealed under a key derived from the session secret and
 * bound to the partner, for an hour. Pages of a partner that requires signed links take the
 * covered parameters only from a fresh signature or from this cookie, never from the visitor.
 */
export class SignedVisits {
  readonly #key: Buffer;
  readonly #cookie: string;
  readonly #production: boolean;

  constructor(sessionSecret: string, production: boolean) {
    this.#key = createHmac('sha256', sessionSecret).update('hosted:signed-visit:v1').digest();
    this.#cookie = production ? '__Host-hub.visit' : 'hub.visit';
    this.#production = production;
  }

  #mac(value: string): string {
    return createHmac('sha256', this.#key).update(value).digest('base64url');
  }

  remember(res: Response, partnerId: string, params: SignedParams, now: Date): void {
    const body = Buffer.from(
      JSON.stringify({ p: partnerId, q: params, e: now.getTime() + VISIT_TTL_MS }),
    ).toString('base64url');
    res.cookie(this.#cookie, `${body}.${this.#mac(body)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.#production,
      path: '/',
      maxAge: VISIT_TTL_MS,
    });
  }

  /** The parameters a signed link proved for this partner, if this browser holds them unexpired. */
  recall(req: Request, partnerId: string, now: Date): SignedParams | null {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[this.#cookie];
    if (typeof value !== 'string') return null;
    const [body, mac] = value.split('.');
    if (!body || !mac) return null;
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      p: string;
      q: SignedParams;
      e: number;
    };
    return state.p === partnerId && state.e > now.getTime() ? signedParamsOf(state.q) : null;
  }

  /** `added` (the number the page just connected) is honoured only with this hub-made signature. */
  signAdded(clientId: string, channelId: string): string {
    return this.#mac(`added:${clientId}:${channelId}`).slice(0, 32);
  }

  addedChannel(
    query: { added?: string | undefined; added_sig?: string | undefined },
    clientId: string,
  ): string | undefined {
    if (!query.added || !query.added_sig) return undefined;
    const expected = Buffer.from(this.signAdded(clientId, query.added));
    const given = Buffer.from(query.added_sig);
    return given.length === expected.length && timingSafeEqual(given, expected) ? query.added : undefined;
  }
}
