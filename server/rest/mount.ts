import type { Request, Response, Router } from 'express';
import type { Operation, OperationContext } from '../api/operation.ts';
import { runOperation } from '../api/run-operation.ts';
import type { Hub } from '../hub.ts';
import { parseOrFail } from './validation.ts';
import './locals.ts';

/** `em` and `partner` are read from `res.locals` when the operation first asks: a cached answer forks and merges nothing. */
function contextOf(res: Response, deps: Hub): OperationContext {
  const { locals } = res;
  return {
    get em() {
      return locals.em;
    },
    deps,
    get partner() {
      return locals.partner;
    },
    partnerRow: locals.principal.partner,
    actor: locals.actor,
  };
}

/** The REST adapter: mounts operations on a router whose middleware has already authenticated the partner. */
export function mountOperations(router: Router, operations: Operation[], deps: Hub, prefix: string): void {
  for (const op of operations) {
    const path = op.path.startsWith(prefix) ? op.path.slice(prefix.length) || '/' : op.path;
    router[op.method](path, async (req: Request, res: Response) => {
      const outcome = await runOperation(
        op,
        () => ({
          params: parseOrFail(op.params, req.params, 'path'),
          query: op.query ? parseOrFail(op.query, req.query, 'query') : {},
          body: op.body ? parseOrFail(op.body, req.body ?? {}, 'body') : undefined,
        }),
        contextOf(res, deps),
        {
          idempotencyKey: req.get('idempotency-key'),
          idempotencyScope: { method: req.method, path: req.baseUrl + req.path, body: req.body ?? {} },
          setHeaders: (headers) => res.set(headers),
        },
      );
      if (outcome.body === null) res.status(outcome.status).end();
      else if (op.csv && outcome.status < 300 && req.accepts(['application/json', 'text/csv']) === 'text/csv')
        res.status(outcome.status).type('text/csv; charset=utf-8').send(op.csv(outcome.body));
      else res.status(outcome.status).json(outcome.body);
    });
  }
}
