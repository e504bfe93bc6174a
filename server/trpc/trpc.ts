import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { ErrorCode } from '../../shared/errors.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { AppError, databaseUnavailableError, ERROR_TABLE, INTERNAL_ERROR_MESSAGE } from '../errors.ts';
import { spendPartnerBudget } from '../http/budgets.ts';
import { assertJsonDepth } from '../http/json-depth.ts';
import type { Context } from './context.ts';
import { actorOf, assertMayCall } from './principal.ts';

/**
 * The most calls one HTTP request may batch. Each call is authorised and budgeted on its own,
 * so a batch is as much work as that many requests; larger ones are refused before any runs.
 */
export const MAX_TRPC_BATCH = 20;

/** What tRPC says when a batch is over `maxBatchSize` (a BAD_REQUEST without a cause). */
const TRPC_BATCH_TOO_LARGE = 'Batch call exceeds maximum size';

function errorCodeOf(error: TRPCError): ErrorCode {
  if (error.cause instanceof AppError) return error.cause.code;
  if (error.cause instanceof ZodError) return 'validation_failed';
  if (error.code === 'BAD_REQUEST' && error.message === TRPC_BATCH_TOO_LARGE) return 'batch_too_large';
  // A POST that is not application/json (tRPC reads no other encoding we serve).
  if (error.code === 'UNSUPPORTED_MEDIA_TYPE') return 'unsupported_media_type';
  if (error.code === 'PARSE_ERROR') return 'invalid_json';
  if (error.code === 'NOT_FOUND') return 'not_found';
  if (error.code === 'PAYLOAD_TOO_LARGE') return 'payload_too_large';
  if (error.code === 'BAD_REQUEST' || error.code === 'METHOD_NOT_SUPPORTED') return 'validation_failed';
  return 'internal_error';
}

const MESSAGES = {
  internal_error: INTERNAL_ERROR_MESSAGE,
  batch_too_large: `A batch may hold at most ${MAX_TRPC_BATCH} calls`,
};

export interface ProcedureMeta {
  /** The operation this procedure serves (`test/api/operations-both-transports.test.ts` walks them). */
  operationId?: string;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Stack traces stay in the logs; clients get the stable code and a safe message.
    isDev: false,
    errorFormatter({ shape, error }) {
      const code = errorCodeOf(error);
      // For these tRPC's own status and message are not the ones the error table promises.
      const ours = code === 'internal_error' || code === 'batch_too_large';
      return {
        ...shape,
        message: ours ? MESSAGES[code] : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: ours ? ERROR_TABLE[code].status : shape.data.httpStatus,
          error_code: code,
          ...(error.cause instanceof ZodError ? { issues: error.cause.issues } : {}),
        },
      };
    },
  });

/** What a failed procedure stands for when it is not a bug. */
function expectedError(cause: unknown): AppError | undefined {
  if (cause instanceof AppError) return cause;
  if (isDatabaseUnavailable(cause)) return databaseUnavailableError(cause);
  return undefined;
}

/**
 * Services throw AppError; this gives it the tRPC code from the one error table. An
 * unreachable database (from a service, authentication or the rate limiter) becomes one too.
 */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const appError = expectedError(result.error.cause);
  if (appError) {
    throw new TRPCError({
      code: ERROR_TABLE[appError.code].trpc,
      message: appError.message,
      cause: appError,
    });
  }
  return result;
});

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(appErrors);

/**
 * Deep nesting is refused before any schema, fingerprint or serialiser recurses into it. Runs
 * after authentication, which is what reads the body of an unauthenticated caller: nothing.
 */
const boundedInput = t.middleware(async ({ getRawInput, next }) => {
  assertJsonDepth(await getRawInput(), 'The input');
  return next();
});

/**
 * Resolves the partner token (once per HTTP request, shared by a batch's calls) and counts the
 * call against its partner's read (query) or write (mutation) budget and the token's cap inside
 * it; every procedure under it acts for exactly that partner.
 */
export const partnerProcedure = publicProcedure
  .use(async ({ ctx, type, path, next }) => {
    const { partner, principal } = await ctx.authenticate();
    assertMayCall(principal, type, path);
    const caller = { partnerId: partner.id, tokenId: principal.id };
    await spendPartnerBudget(
      ctx.deps.rateLimits,
      caller,
      type === 'query' ? 'read' : 'write',
      ctx.setHeaders,
    );
    return next({ ctx: { partner, actor: actorOf(principal, ctx.request) } });
  })
  .use(boundedInput);
