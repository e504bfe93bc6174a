import type { TRPCMutationProcedure, TRPCQueryProcedure } from '@trpc/server';
import { z } from 'zod';
import type { InputOf, Method, Operation, OutputOf } from '../api/operation.ts';
import { throwIfError } from '../api/outcome.ts';
import { type OperationInput, runOperation } from '../api/run-operation.ts';
import { type ProcedureMeta, partnerProcedure } from './trpc.ts';

// biome-ignore lint/suspicious/noExplicitAny: the constraint every declared operation satisfies
type AnyOperation = Operation<any, any, any, any, Method>;

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
