import type { Request, Response, Router } from 'express';
import {
  captureOutcome,
  IdempotencyKeySchema,
  runIdempotently,
  type StoredResponse,
} from '../modules/idempotency/idempotency.service.ts';
import { acceptsIdempotencyKey, type Operation, type OperationContext } from './operation.ts';
import { parseOrFail } from './validation.ts';
import './locals.ts';
import type { AppDeps } from '../deps.ts';
import { spendPartnerBudget } from '../modules/rate-limits/rate-limits.ts';
import { partnerCaller } from './rate-limit.ts';

async function execute(op: Operation, req: Request, res: Response, deps: AppDeps): Promise<StoredResponse> {
  const params = parseOrFail(op.params, req.params, 'path');
  const query = op.query ? parseOrFail(op.query, req.query, 'query') : {};
  const body = op.body ? parseOrFail(op.body, req.body ?? {}, 'body') : undefined;
  const ctx = contextOf(res, deps);
  return captureOutcome(
    op.status,
    async () => ((await op.handle({ params, query, body }, ctx)) ?? null) as Record<string, unknown> | null,
  );
}

function contextOf(res: Response, deps: AppDeps): OperationContext {
  return { em: res.locals.em, deps, partner: res.locals.partner, actor: res.locals.actor };
}

/** Mounts operations on a router whose middleware has already authenticated the partner. */
export function mountOperations(
  router: Router,
  operations: Operation[],
  deps: AppDeps,
  prefix: string,
): void {
  for (const op of operations) {
    const path = op.path.startsWith(prefix) ? op.path.slice(prefix.length) || '/' : op.path;
    router[op.method](path, async (req: Request, res: Response) => {
      if (op.sensitive) {
        res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
        await spendPartnerBudget(deps.rateLimits, partnerCaller(res), 'reveal', (h) => res.set(h));
      }
      await op.guard?.(contextOf(res, deps));
      const rawKey = acceptsIdempotencyKey(op) ? req.get('idempotency-key') : undefined;
      let outcome: StoredResponse & { replayed?: boolean };
      if (rawKey !== undefined) {
        const key = parseOrFail(IdempotencyKeySchema, rawKey, 'header');
        outcome = await runIdempotently(
          deps.orm.em.fork(),
          deps.clock,
          deps.secretBox,
          {
            partnerId: res.locals.partner.id,
            key,
            method: req.method,
            path: req.baseUrl + req.path,
            body: req.body ?? {},
          },
          () => execute(op, req, res, deps),
        );
        if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
      } else {
        outcome = await execute(op, req, res, deps);
      }
      if (outcome.body === null) res.status(outcome.status).end();
      else res.status(outcome.status).json(outcome.body);
    });
  }
}
