import type { TRPCMutationProcedure, TRPCQueryProcedure } from '@trpc/server';
import { z } from 'zod';
import type { Method, Operation } from '../api/operation.ts';
import { type OperationInput, runOperation } from '../api/run-operation.ts';
import { throwIfError } from '../modules/idempotency/idempotency.service.ts';
import { type ProcedureMeta, partnerProcedure } from './trpc.ts';

// biome-ignore lint/suspicious/noExplicitAny: the constraint every declared operation satisfies
type AnyOperation = Operation<any, any, any, any, Method>;

/** Over tRPC the partner is the token's: the path's other ids join the query or body fields. */
type IdsOf<P extends z.ZodType> = Omit<z.input<P>, 'partner_id'>;
type Flat<T> = { [K in keyof T]: T[K] };
/** `z.strictObject({})`'s input is `{ [x: string]: never }`: no fields at all. */
type Fields<T> = string extends keyof T ? unknown : T;
/** An input whose fields are all optional may be left out. */
type NoFields = Record<never, never>;
type InputOf<O> =
  O extends Operation<infer P, infer Q, infer B, infer _R, infer M>
    ? Flat<IdsOf<P> & Fields<M extends 'get' ? z.input<Q> : z.input<B>>> extends infer I
      ? NoFields extends I
        ? I | undefined
        : I
      : never
    : never;
type OutputOf<O> =
  O extends Operation<infer _P, infer _Q, infer _B, infer R, Method>
    ? unknown extends z.output<R>
      ? undefined
      : z.output<R>
    : never;
type Def<O> = { input: InputOf<O>; output: OutputOf<O>; meta: ProcedureMeta };

export type ProcedureOf<O> = O extends { method: 'get' }
  ? TRPCQueryProcedure<Def<O>>
  : TRPCMutationProcedure<Def<O>>;

/**
 * The operation's query or body schema with its path ids added (its strictness and checks
 * kept), so tRPC validates exactly what REST validates, and a missing input is `{}` (defaults
 * apply). The schemas stay visible to whoever walks the router (test/security/safe-text.test.ts).
 */
function inputParser(op: AnyOperation): { schema: z.ZodType; idKeys: string[] } {
  const params = op.params as z.ZodObject;
  const idShape = Object.fromEntries(Object.entries(params.shape).filter(([k]) => k !== 'partner_id'));
  const payload = op.method === 'get' ? op.query : op.body;
  if (payload !== undefined && !(payload instanceof z.ZodObject))
    throw new Error(`${op.operationId}: a query or body must be an object schema to be served over tRPC`);
  const merged = payload ? payload.safeExtend(idShape) : z.strictObject(idShape);
  return { schema: z.preprocess((raw) => raw ?? {}, merged), idKeys: Object.keys(idShape) };
}

/** The tRPC adapter: one procedure from one operation, run through the pipeline REST uses. */
export function procedureFrom<O extends AnyOperation>(op: O): ProcedureOf<O> {
  const { schema, idKeys } = inputParser(op);
  let base = partnerProcedure.meta({ operationId: op.operationId }).input(schema);
  if (op.response) base = base.output(op.response) as unknown as typeof base;
  const resolve = async ({
    ctx,
    input,
    path,
  }: {
    ctx: Parameters<Parameters<typeof base.query>[0]>[0]['ctx'];
    input: unknown;
    path: string;
  }) => {
    const fields = Object.entries(input as Record<string, unknown>);
    const ids = Object.fromEntries(fields.filter(([k]) => idKeys.includes(k)));
    const payload = Object.fromEntries(fields.filter(([k]) => !idKeys.includes(k)));
    const parsed: OperationInput = {
      params: { ...ids, partner_id: ctx.partner.id },
      query: op.query ? payload : {},
      body: op.body ? payload : undefined,
    };
    const outcome = await runOperation(
      op,
      () => parsed,
      { em: ctx.em, deps: ctx.deps, partner: ctx.partner, partnerRow: ctx.partner, actor: ctx.actor },
      {
        idempotencyKey: ctx.idempotencyKey,
        idempotencyScope: { method: 'TRPC', path, body: input },
        setHeaders: ctx.setHeaders,
      },
    );
    throwIfError(outcome);
    return outcome.body ?? undefined;
  };
  const built = op.method === 'get' ? base.query(resolve) : base.mutation(resolve);
  return built as unknown as ProcedureOf<O>;
}

/** A group of operations (`webhookEndpointOperations`) as the procedures of one tRPC router. */
export function proceduresFrom<T extends Record<string, AnyOperation>>(
  ops: T,
): { [K in keyof T]: ProcedureOf<T[K]> } {
  return Object.fromEntries(Object.entries(ops).map(([name, op]) => [name, procedureFrom(op)])) as {
    [K in keyof T]: ProcedureOf<T[K]>;
  };
}
