import type { z } from 'zod';
import { spendPartnerBudget } from '../http/budgets.ts';
import {
  IdempotencyKeySchema,
  runIdempotently,
  type StoredResponse,
} from '../modules/idempotency/idempotency.service.ts';
import { parseOrFail } from '../rest/validation.ts';
import { acceptsIdempotencyKey, type Operation, type OperationContext } from './operation.ts';
import { captureOutcome } from './outcome.ts';

export type OperationInput = { params: unknown; query: unknown; body: unknown };

/** What a transport hands the pipeline besides the operation's input. */
export interface Transport {
  /** The `Idempotency-Key` header as sent, if any. */
  idempotencyKey: string | undefined;
  /** What a stored answer is bound to besides partner and key: another request under the same key is a conflict. */
  idempotencyScope: { method: string; path: string; body: unknown };
  setHeaders(headers: Record<string, string>): void;
}

export type OperationOutcome = StoredResponse & { replayed?: boolean };

/**
 * Runs one operation for either transport: the reveal budget and `no-store` for operations
 * that answer with secrets, the guard (before any replay, so a caller that may not run the
 * operation cannot read its stored answer either), then the handler, through the
 * idempotency store when the operation honours `Idempotency-Key`. `input` is read lazily: a
 * replay answers what was stored without reading the request again.
 */
export async function runOperation(
  op: Operation,
  input: () => OperationInput,
  ctx: OperationContext,
  transport: Transport,
): Promise<OperationOutcome> {
  if (op.sensitive) {
    transport.setHeaders({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const caller = { partnerId: ctx.partner.id, tokenId: ctx.actor.id ?? 'anonymous' };
    await spendPartnerBudget(ctx.deps.rateLimits, caller, 'reveal', transport.setHeaders);
  }
  await op.guard?.(ctx);
  const execute = () =>
    captureOutcome(op.status, async () => {
      const result = await op.handle(input() as Parameters<Operation['handle']>[0], ctx);
      return (result ?? null) as Record<string, unknown> | null;
    });
  const rawKey = acceptsIdempotencyKey(op) ? transport.idempotencyKey : undefined;
  if (rawKey === undefined) return execute();
  const key: z.infer<typeof IdempotencyKeySchema> = parseOrFail(IdempotencyKeySchema, rawKey, 'header');
  const outcome: OperationOutcome = await runIdempotently(
    ctx.deps.orm.em.fork(),
    ctx.deps.clock,
    ctx.deps.secretBox,
    { partnerId: ctx.partner.id, key, ...transport.idempotencyScope },
    execute,
  );
  if (outcome.replayed) transport.setHeaders({ 'Idempotent-Replayed': 'true' });
  return outcome;
}
