import type { Request } from 'express';
import { sameSecret } from '../../crypto/same-secret.ts';
import type { SandboxState } from '../state.ts';
import type { TokenGrant } from '../store/credentials.ts';
import { type GraphError, graphErrors } from './errors.ts';
import { type Params, stringParam } from './params.ts';

/** Who is calling: the app itself (`{app_id}|{app_secret}`) or a business's system user token. */
export type Caller = { kind: 'app' } | { kind: 'user'; grant: TokenGrant };

/** `Authorization: Bearer …` (or Meta's older `OAuth …`), else the `access_token` parameter. */
export function presentedToken(req: Request, params: Params): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  return stringParam(params, 'access_token');
}

export function isAppToken(state: SandboxState, token: string): boolean {
  const { appId, appSecret } = state.deps.meta;
  return sameSecret(token, `${appId}|${appSecret}`);
}

/** Why a stored token no longer works, or null while it does. */
export function grantProblem(state: SandboxState, grant: TokenGrant): GraphError | null {
  if (grant.invalidatedAt) return graphErrors.tokenRevoked(state.deps.meta.appId);
  const now = state.deps.clock.now();
  if (grant.expiresAt && grant.expiresAt <= now) return graphErrors.tokenExpired(grant.expiresAt, now);
  return null;
}

/** Resolves and checks the caller's token, throwing Meta's errors for missing, unknown or dead ones. */
export async function authenticate(state: SandboxState, req: Request, params: Params): Promise<Caller> {
  const token = presentedToken(req, params);
  if (!token) throw graphErrors.tokenRequired();
  if (token.includes('|')) {
    if (isAppToken(state, token)) return { kind: 'app' };
    if (token.startsWith(`${state.deps.meta.appId}|`)) throw graphErrors.appTokenSignature();
    throw graphErrors.tokenUnparseable();
  }
  if (!token.startsWith('EAA')) throw graphErrors.tokenUnparseable();
  const grant = await state.grant(token);
  if (!grant) throw graphErrors.tokenUnparseable();
  const problem = grantProblem(state, grant);
  if (problem) throw problem;
  return { kind: 'user', grant };
}
