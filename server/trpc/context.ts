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
  request: RequestMeta;
}

/** No `req` here: tests build contexts directly. */
export function createContextInner(opts: {
  deps: AppDeps;
  credential?: string | undefined;
  request?: Partial<RequestMeta>;
}): Context {
  return {
    deps: opts.deps,
    em: opts.deps.orm.em.fork(),
    credential: opts.credential,
    request: { requestId: 'internal', ip: undefined, userAgent: undefined, ...opts.request },
  };
}

export function contextFactory(deps: AppDeps) {
  return ({ req }: CreateExpressContextOptions): Context =>
    createContextInner({ deps, credential: partnerCredentialFrom(req.headers), request: requestMetaOf(req) });
}
