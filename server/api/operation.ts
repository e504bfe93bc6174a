import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/errors.ts';
import type { Hub } from '../hub.ts';
import type { Actor } from '../modules/audit/actor.ts';
import type { Partner } from '../modules/partners/partner.entity.ts';
import type { PartnerRow } from '../modules/partners/partner-view.ts';

export interface OperationContext {
  em: EntityManager;
  deps: Hub;
  partner: Partner;
  /** The partner's columns as authenticated, for answers that need no entity (`partner` may be made on first read). */
  partnerRow: PartnerRow;
  actor: Actor;
}

type Schema = z.ZodType;

export type Method = 'get' | 'post' | 'patch' | 'delete';

/**
 * One partner operation, declared once. REST mounts it (`rest/mount.ts`), the OpenAPI document
 * is generated from it, tRPC serves it under the key it has in its group (`trpc/router.ts`),
 * and both transports run it through the same pipeline (`run-operation.ts`), so none of them
 * can drift from the others.
 */
export interface Operation<
  P extends Schema = Schema,
  Q extends Schema = Schema,
  B extends Schema = Schema,
  R extends Schema = Schema,
  M extends Method = Method,
> {
  operationId: string;
  /** `get` is a tRPC query; every other method a mutation. */
  method: M;
  /**
   * Express syntax, relative to /api/v2 (`/partners/:partner_id/clients`). Over tRPC the
   * partner is the token's, and the other path parameters join the query or body fields.
   */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  params: P;
  query?: Q;
  body?: B;
  /** Absent for 204 No Content. */
  response?: R;
  status: 200 | 201 | 204;
  /**
   * Returns secrets: answered with `Cache-Control: no-store`, never stored for Idempotency-Key
   * replays, and counted against the hourly `reveal` budget as well.
   */
  sensitive?: boolean;
  /**
   * Runs before the operation and before any `Idempotency-Key` replay, so a caller that may
   * not run the operation cannot read a stored answer of it either.
   */
  guard?(ctx: OperationContext): Promise<void>;
  /** Error codes this operation can answer with, besides the ones every operation can. */
  errors: ErrorCode[];
  /**
   * A CSV rendering of the answer: REST sends it to a client that asks for `text/csv` (Accept);
   * JSON stays the default, and the only form over tRPC.
   */
  csv?(body: z.infer<R>): string;
  handle(
    input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B> },
    ctx: OperationContext,
  ): Promise<z.infer<R> | undefined>;
}

export function defineOperation<
  P extends Schema,
  Q extends Schema,
  B extends Schema,
  R extends Schema,
  M extends Method,
>(op: Operation<P, Q, B, R, M>): Operation<P, Q, B, R, M> {
  return op;
}

/**
 * Whether `Idempotency-Key` is honoured: on every POST except those returning secrets, whose
 * answers are never stored. Mounting and the OpenAPI document both ask this, so they agree.
 */
export function acceptsIdempotencyKey(op: Operation): boolean {
  return op.method === 'post' && !op.sensitive;
}

/** Codes any authenticated partner operation may answer with. */
export const COMMON_ERRORS: ErrorCode[] = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'partner_suspended',
  'rate_limited',
  'database_unavailable',
];

/**
 * An operation's input as one object, for tRPC and the SDK's generated REST helpers: the partner
 * is the caller's, and the path's other ids join the query or body fields.
 */
type IdsOf<P extends z.ZodType> = Omit<z.input<P>, 'partner_id'>;
type Flat<T> = { [K in keyof T]: T[K] };
/** `z.strictObject({})`'s input is `{ [x: string]: never }`: no fields at all. */
type Fields<T> = string extends keyof T ? unknown : T;
/** An input whose fields are all optional may be left out. */
type NoFields = Record<never, never>;
export type InputOf<O> =
  O extends Operation<infer P, infer Q, infer B, infer _R, infer M>
    ? Flat<IdsOf<P> & Fields<M extends 'get' ? z.input<Q> : z.input<B>>> extends infer I
      ? NoFields extends I
        ? I | undefined
        : I
      : never
    : never;
export type OutputOf<O> =
  O extends Operation<infer _P, infer _Q, infer _B, infer R, Method>
    ? unknown extends z.output<R>
      ? undefined
      : z.output<R>
    : never;
