import type { Request, Response, Router } from 'express';
import type { Operation, OperationContext } from '../api/operation.ts';
import { runOperation } from '../api/run-operation.ts';
import type { Hub } from '../hub.ts';
import { parseOrFail } from './validation.ts';
import './locals.ts';

/**
 * `em` and `partner` are read from `res.locals` when the operation first asks: a cached answer
 * forks and merges nothing. The getters live on the class's prototype: an object literal's
 * getters are new closures per request, giving each context a hidden class of its own in V8's
 * old space that kept the request's objects (its entity manager and every row) alive through
 * young-generation GCs (docs/benchmarks.md).
 */
class RestContext implements OperationContext {
  readonly #locals: Response['locals'];
  readonly deps: Hub;
  readonly partnerRow: OperationContext['partnerRow'];
  readonly actor: OperationContext['actor'];

  constructor(res: Response, deps: Hub) {
    this.#locals = res.locals;
    this.deps = deps;
    this.partnerRow = res.locals.principal.partner;
    this.actor = res.locals.actor;
  }

  get em() {
    return this.#locals.em;
  }

  get partner() {
    return this.#locals.partner;
  }
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
        new RestContext(res, deps),
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
