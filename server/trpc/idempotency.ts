import { AppError } from '../errors.ts';
import {
  captureOutcome,
  IdempotencyKeySchema,
  runIdempotently,
  throwIfError,
} from '../modules/idempotency/idempotency.service.ts';
import type { Partner } from '../modules/partners/partner.entity.ts';
import type { Context } from './context.ts';

/**
 * The tRPC side of `Idempotency-Key`: the same store and rules as REST POSTs, keyed by
 * procedure path and input instead of URL and body.
 */
export async function idempotent<T extends object>(
  ctx: Context & { partner: Partner },
  procedure: string,
  input: unknown,
  run: () => Promise<T>,
): Promise<T> {
  if (ctx.idempotencyKey === undefined) return run();
  const parsed = IdempotencyKeySchema.safeParse(ctx.idempotencyKey);
  if (!parsed.success)
    throw new AppError(
      'validation_failed',
      `Invalid header: Idempotency-Key ${parsed.error.issues[0]?.message}`,
    );
  const outcome = await runIdempotently(
    ctx.deps.orm.em.fork(),
    ctx.deps.clock,
    ctx.deps.secretBox,
    { partnerId: ctx.partner.id, key: parsed.data, method: 'TRPC', path: procedure, body: input },
    () => captureOutcome(200, async () => (await run()) as Record<string, unknown>),
  );
  throwIfError(outcome);
  return outcome.body as T;
}
