import type { AnyTRPCRouter } from '@trpc/server';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { unavailableReason } from '../db/unavailable.ts';
import { AppError, ERROR_TABLE } from '../errors.ts';
import type { Hub } from '../hub.ts';
import type { Context } from './context.ts';
import { MAX_TRPC_BATCH } from './trpc.ts';

/**
 * A tRPC router over HTTP with the hub's conventions: bounded bodies and batches, unexpected
 * errors logged (never sent), and `Retry-After` for a batch as long as its slowest call asks.
 * Serves the partner API on `/trpc` and the console's on `/console/trpc`.
 */
export function trpcMiddleware<R extends AnyTRPCRouter>(
  deps: Hub,
  router: R,
  createContext: (opts: CreateExpressContextOptions) => Context | Promise<Context>,
) {
  return createExpressMiddleware({
    router,
    createContext,
    maxBodySize: 256 * 1024,
    maxBatchSize: MAX_TRPC_BATCH,
    onError: ({ error, req }) => {
      if (error.cause instanceof AppError && error.cause.code === 'database_unavailable') {
        const reason = unavailableReason(error.cause.cause);
        deps.logger.warn({ requestId: req.id, reason }, 'database unavailable');
      } else if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError)) {
        deps.logger.error({ err: error.cause ?? error, requestId: req.id }, 'unhandled tRPC error');
      }
    },
    responseMeta: ({ data, info }) => {
      const headers: Record<string, string> = {};
      // tRPC sends errors about the request as a whole (batch size, content type) as text/plain.
      if (!info) headers['Content-Type'] = 'application/json';
      const seconds = data.map((r) =>
        'error' in r
          ? (ERROR_TABLE[(r.error.data as { error_code: keyof typeof ERROR_TABLE }).error_code]
              .retryAfterSeconds ?? 0)
          : 0,
      );
      const retryAfter = Math.max(0, ...seconds);
      if (retryAfter > 0) headers['Retry-After'] = String(retryAfter);
      return { headers };
    },
  });
}
