import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import { withAuthFailureBudget } from '../auth/auth-failure-budget.ts';
import { partnerCredentialFrom } from '../auth/credentials.ts';
import { authenticatePartnerToken } from '../auth/partner-tokens.ts';
import { type RequestMeta, requestMetaOf } from '../http/request-meta.ts';
import type { Hub } from '../hub.ts';
import type { Partner } from '../modules/partners/partner.entity.ts';
import type { Principal } from './principal.ts';

export interface Context {
  deps: Hub;
  em: EntityManager;
  /**
   * Resolves the caller (a partner token, or a console user's session) at the first call and
   * answers every later call from that result: the calls of a batch share one lookup (and one
   * failure, against the caller's address).
   */
  authenticate(): Promise<{ partner: Partner; principal: Principal }>;
  /** `Idempotency-Key` header of a mutation, if sent. */
  idempotencyKey: string | undefined;
  request: RequestMeta;
  /** Response headers (rate limits); a no-op for in-process callers. */
  setHeaders(headers: Record<string, string>): void;
}

/** No `req` here: tests build contexts directly. */
export function createContextInner(opts: {
  deps: Hub;
  credential?: string | undefined;
  idempotencyKey?: string | undefined;
  request?: Partial<RequestMeta>;
  setHeaders?: (headers: Record<string, string>) => void;
}): Context {
  const { deps } = opts;
  const em = deps.orm.em.fork();
  const request = { requestId: 'internal', ip: undefined, userAgent: undefined, ...opts.request };
  const setHeaders = opts.setHeaders ?? (() => {});
  let authenticated: ReturnType<Context['authenticate']> | undefined;
  return {
    deps,
    em,
    authenticate: () => {
      authenticated ??= withAuthFailureBudget({ limits: deps.rateLimits, ip: request.ip, setHeaders }, () =>
        authenticatePartnerToken(em, deps.clock, opts.credential, deps.partnerTokens),
      ).then(({ partner, token }) => ({ partner, principal: { kind: 'partner_token', id: token.id } }));
      return authenticated;
    },
    idempotencyKey: opts.idempotencyKey,
    request,
    setHeaders,
  };
}

export function contextFactory(deps: Hub) {
  return ({ req, res }: CreateExpressContextOptions): Context =>
    createContextInner({
      deps,
      credential: partnerCredentialFrom(req.headers),
      idempotencyKey: req.get('idempotency-key'),
      request: requestMetaOf(req),
      setHeaders: (headers) => res.set(headers),
    });
}
