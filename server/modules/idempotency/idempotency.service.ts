import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { stringify } from 'safe-stable-stringify';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { query, run } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { SEALED, seal, unseal } from '../secrets/sealed-columns.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A first request that has not answered by then is taken to have died with its process. */
export const ABANDONED_AFTER_MS = 60 * 1000;

/** The answer a key replays: opaque to this module (the API layer decides what a status means). */
export interface StoredResponse {
  status: number;
  body: Record<string, unknown> | null;
}

export interface IdempotentRequest {
  partnerId: string;
  key: string;
  /** Method, path and body: the same key with a different request is refused. */
  method: string;
  path: string;
  body: unknown;
}

/** Same JSON in any key order is the same request. */
export function fingerprintOf(req: Pick<IdempotentRequest, 'method' | 'path' | 'body'>): string {
  return createHash('sha256')
    .update(`${req.method} ${req.path} ${stringify(req.body ?? null)}`)
    .digest('hex');
}

interface KeyRow {
  id: string;
  request_fingerprint: string;
  response_status: number | null;
  response_body: Record<string, unknown> | null;
  created_at: Date;
  expires_at: Date;
}

/**
 * Runs `execute` at most once per (partner, key) within 24 h and replays its response
 * afterwards. The claim is its own committed row, so concurrent duplicates see it at once:
 * they get 409 `idempotency_key_in_progress` until the first finishes. A 5xx outcome
 * releases the key so the request can be retried.
 */
export async function runIdempotently(
  em: EntityManager,
  clock: Clock,
  box: SecretBox,
  request: IdempotentRequest,
  execute: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  // `em` is outside any transaction on purpose: the claim must be visible to concurrent duplicates at once.
  const fingerprint = fingerprintOf(request);
  const now = clock.now();
  const claimed = await query<{ id: string }>(
    em,
    `insert into idempotency_keys (id, partner_id, key, request_fingerprint, created_at, expires_at)
     values (?, ?, ?, ?, ?, ?)
     on conflict (partner_id, key) do update set
       id = excluded.id, request_fingerprint = excluded.request_fingerprint, response_status = null,
       response_body = null, created_at = excluded.created_at, expires_at = excluded.expires_at
     where idempotency_keys.expires_at <= excluded.created_at
        or (idempotency_keys.response_status is null and idempotency_keys.created_at <= ?
            and idempotency_keys.request_fingerprint = excluded.request_fingerprint)
     returning id`,
    [
      newId('idempotencyKey'),
      request.partnerId,
      request.key,
      fingerprint,
      now,
      new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      new Date(now.getTime() - ABANDONED_AFTER_MS),
    ],
  );
  const claimId = claimed[0]?.id;
  if (!claimId) return { ...(await existingOutcome(em, box, request, fingerprint)), replayed: true };

  let outcome: StoredResponse;
  try {
    outcome = await execute();
  } catch (err) {
    await run(em, 'delete from idempotency_keys where id = ?', [claimId]);
    throw err;
  }
  if (outcome.status >= 500) {
    // A server error is not an answer: the key is released so the request can be retried.
    await run(em, 'delete from idempotency_keys where id = ?', [claimId]);
  } else {
    // Responses can hold credentials shown once (new tokens, keys, webhook secrets): sealed at rest.
    await run(em, 'update idempotency_keys set response_status = ?, response_body = ? where id = ?', [
      outcome.status,
      outcome.body === null
        ? null
        : JSON.stringify({
            sealed: seal(box, SEALED.idempotencyResponseBody, claimId, JSON.stringify(outcome.body)),
          }),
      claimId,
    ]);
  }
  return { ...outcome, replayed: false };
}

async function existingOutcome(
  em: EntityManager,
  box: SecretBox,
  request: IdempotentRequest,
  fingerprint: string,
): Promise<StoredResponse> {
  const rows = await query<KeyRow>(
    em,
    'select id, request_fingerprint, response_status, response_body from idempotency_keys where partner_id = ? and key = ?',
    [request.partnerId, request.key],
  );
  const row = rows[0];
  if (!row)
    throw new AppError(
      'idempotency_key_in_progress',
      'A request with this Idempotency-Key is being processed',
    );
  if (row.request_fingerprint !== fingerprint) {
    throw new AppError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different request',
    );
  }
  if (row.response_status === null) {
    throw new AppError(
      'idempotency_key_in_progress',
      'A request with this Idempotency-Key is still being processed',
    );
  }
  const sealed = (row.response_body as { sealed?: string } | null)?.sealed;
  const body = sealed
    ? (JSON.parse(unseal(box, SEALED.idempotencyResponseBody, row.id, sealed)) as Record<string, unknown>)
    : null;
  return { status: row.response_status, body };
}

export const IdempotencyKeySchema = safeString()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be 1 to 255 printable ASCII characters without spaces');
