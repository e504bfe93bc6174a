import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import { partnerCredentialFrom } from '../auth/credentials.ts';
import type { AppDeps } from '../deps.ts';
import { type RequestMeta, requestMetaOf } from '../http/request-meta.ts';

export interface Context {
  deps: AppDeps;
  em: EntityManager;
  /** The presented partner token, resolved only by procedures that need a partner. */
  credential: string | undefined;
  /** `Idempotency-Key` header of a mutation, if sent. */
  idempotencyKey: string | undefined;
  request: RequestMeta;
  /** Response headers (rate limits); a no-op for in-process callers. */
  setHeaders(headers: Record<string, string>): void;
}

/** No `req` here: tests build contexts directly. */
export function createContextInner(opts: {
  deps: AppDeps;
  credential?: string | undefined;
  idempotencyKey?: string | undefined;
  request?: Partial<RequestMeta>;
  setHeaders?: (headers: Record<string, string>) => void;
}): Context {
  return {
    deps: opts.deps,
    em: opts.deps.orm.em.fork(),
    credential: opts.credential,
    idempotencyKey: opts.idempotencyKey,
    request: { requestId: 'internal', ip: undefined, userAgent: undefined, ...opts.request },
    setHeaders: opts.setHeaders ?? (() => {}),
  };
}

export function contextFactory(deps: AppDeps) {
  return ({ req, res }: CreateExpressContextOptions): Context =>
    createContextInner({
      deps,
      credential: partnerCredentialFrom(req.headers),
      idempotencyKey: req.get('idempotency-key'),
      request: requestMetaOf(req),
      setHeaders: (headers) => res.set(headers),
    });
}
