import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { StripeSandbox } from './context.ts';
import { StripeApiError, stripeErrors } from './errors.ts';
import type { Params } from './params.ts';
import { publicView } from './store.ts';

/** Which key made the call: a publishable key may only do what Stripe.js does in a browser. */
export type KeyKind = 'secret' | 'publishable';

export interface Call {
  params: Params;
  key: KeyKind;
  /** The route's `:id`, when it has one. */
  id: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function same(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `Authorization: Bearer <key>` (stripe-node) or Basic with the key as user (curl -u); Stripe.js may send `key=`. */
function presentedKey(req: Request): string | undefined {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (basic) return Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0];
  const bodyKey = (req.body as Params | undefined)?.key ?? req.query.key;
  return typeof bodyKey === 'string' ? bodyKey : undefined;
}

function authenticate(sb: StripeSandbox, req: Request, allow: KeyKind): { kind: KeyKind; key: string } {
  const key = presentedKey(req);
  if (!key) throw stripeErrors.noKey();
  const { secretKey, publishableKey } = sb.config;
  if (secretKey && same(secretKey, key)) return { kind: 'secret', key };
  if (publishableKey && same(publishableKey, key)) {
    if (allow === 'secret') throw stripeErrors.secretKeyRequired();
    return { kind: 'publishable', key };
  }
  throw stripeErrors.invalidKey(key);
}

interface Answer {
  status: number;
  body: unknown;
}

/**
 * One Stripe API route: authentication, Stripe's idempotency (a POST with a key already used
 * answers what the first one answered, errors included, but not 500s), and the JSON answer.
 */
export function endpoint(
  sb: StripeSandbox,
  allow: KeyKind,
  handle: (call: Call) => Promise<unknown>,
): RequestHandler {
  return async (req: Request, res: Response) => {
    const { kind, key } = authenticate(sb, req, allow);
    const params: Params = { ...(req.method === 'GET' ? req.query : (req.body ?? {})) };
    delete params.key;
    const id = typeof req.params.id === 'string' ? req.params.id : '';
    const run = async (): Promise<Answer> => {
      try {
        return { status: 200, body: publicView(await handle({ params, key: kind, id })) };
      } catch (err) {
        if (err instanceof StripeApiError)
          return { status: err.status, body: { error: publicView(err.body) } };
        throw err;
      }
    };
    const idempotencyKey = req.get('Idempotency-Key');
    if (req.method !== 'POST' || !idempotencyKey) {
      const answer = await run();
      res.status(answer.status).json(answer.body);
      return;
    }
    const scope = [sha256(key), idempotencyKey] as const;
    const fingerprint = sha256(`${req.method} ${req.baseUrl}${req.path} ${JSON.stringify(params)}`);
    const { query } = sb.state;
    const reserved = await query(
      `insert into sandbox.stripe_idempotency_keys (api_key_hash, key, fingerprint, created_at)
       values (?, ?, ?, now()) on conflict do nothing returning key`,
      [...scope, fingerprint],
    );
    if (reserved.length === 0) {
      const [row] = await query<{ fingerprint: string; status: number | null; body: unknown }>(
        `select fingerprint, status, body from sandbox.stripe_idempotency_keys where api_key_hash = ? and key = ?`,
        [...scope],
      );
      if (row && row.fingerprint !== fingerprint) throw stripeErrors.idempotencyMismatch(idempotencyKey);
      if (!row || row.status === null) throw stripeErrors.idempotencyInUse();
      res
        .status(row.status)
        .set({ 'Idempotent-Replayed': 'true', 'Idempotency-Key': idempotencyKey })
        .json(row.body);
      return;
    }
    let answer: Answer;
    try {
      answer = await run();
    } catch (err) {
      await query(`delete from sandbox.stripe_idempotency_keys where api_key_hash = ? and key = ?`, [
        ...scope,
      ]);
      throw err;
    }
    await query(
      `update sandbox.stripe_idempotency_keys set status = ?, body = ?::jsonb where api_key_hash = ? and key = ?`,
      [answer.status, JSON.stringify(answer.body), ...scope],
    );
    res.status(answer.status).set('Idempotency-Key', idempotencyKey).json(answer.body);
  };
}
