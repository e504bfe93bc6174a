import type { Request, Response } from 'express';
import type { SandboxState } from '../state.ts';
import { redeemAuthCode, SCOPES, type TokenGrant } from '../store/credentials.ts';
import { authenticate, grantProblem, isAppToken } from './caller.ts';
import { graphErrors } from './errors.ts';
import { graphParams, stringParam } from './params.ts';

export const SANDBOX_APP_NAME = 'Partner Hub Sandbox';

const unix = (at: Date) => Math.floor(at.getTime() / 1000);

/**
 * `GET /oauth/access_token`: the code from Embedded Signup for a business integration system
 * user token (no expiry), or `grant_type=client_credentials` for the app token.
 */
export function accessTokenHandler(state: SandboxState) {
  return async (req: Request, res: Response) => {
    const params = graphParams(req);
    const { appId, appSecret } = state.deps.meta;
    const clientId = stringParam(params, 'client_id');
    if (!clientId) throw graphErrors.missingParameter('client_id');
    if (clientId !== appId) throw graphErrors.invalidApplication();
    const clientSecret = stringParam(params, 'client_secret');
    if (!clientSecret || !isAppToken(state, `${clientId}|${clientSecret}`))
      throw graphErrors.invalidClientSecret();
    if (stringParam(params, 'grant_type') === 'client_credentials') {
      res.json({ access_token: `${appId}|${appSecret}`, token_type: 'bearer' });
      return;
    }
    const code = stringParam(params, 'code');
    if (!code) throw graphErrors.missingParameter('code');
    const now = state.deps.clock.now();
    const outcome = await state.transaction((q) => redeemAuthCode(q, code, now));
    if (!outcome.ok) {
      if (outcome.reason === 'used') throw graphErrors.codeUsed();
      if (outcome.reason === 'expired') throw graphErrors.codeExpired();
      throw graphErrors.codeInvalid();
    }
    res.json({ access_token: outcome.accessToken, token_type: 'bearer' });
  };
}

function describeGrant(state: SandboxState, grant: TokenGrant) {
  return {
    app_id: state.deps.meta.appId,
    type: 'SYSTEM_USER',
    application: SANDBOX_APP_NAME,
    data_access_expires_at: 0,
    expires_at: grant.expiresAt ? unix(grant.expiresAt) : 0,
    issued_at: unix(grant.issuedAt),
    user_id: grant.userId,
  };
}

/**
 * `GET /debug_token?input_token=`: what a token is and may touch. Invalid tokens are a 200
 * with `is_valid: false`, as at Meta; only the caller's own credential can fail the request.
 */
export function debugTokenHandler(state: SandboxState) {
  return async (req: Request, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    if (caller.kind !== 'app') throw graphErrors.appTokenRequired();
    const input = stringParam(params, 'input_token');
    if (!input) throw graphErrors.missingParameter('input_token');

    if (isAppToken(state, input)) {
      res.json({
        data: {
          app_id: state.deps.meta.appId,
          type: 'APP',
          application: SANDBOX_APP_NAME,
          is_valid: true,
          scopes: [],
        },
      });
      return;
    }
    const grant = input.startsWith('EAA') ? await state.grant(input) : null;
    if (!grant) {
      res.json({
        data: {
          error: { code: 190, message: graphErrors.tokenUnparseable().message },
          is_valid: false,
          scopes: [],
        },
      });
      return;
    }
    const problem = grantProblem(state, grant);
    if (problem) {
      res.json({
        data: {
          ...describeGrant(state, grant),
          error: { code: 190, message: problem.body.message, subcode: problem.body.error_subcode },
          is_valid: false,
          scopes: [],
        },
      });
      return;
    }
    res.json({
      data: {
        ...describeGrant(state, grant),
        is_valid: true,
        scopes: [...SCOPES],
        granular_scopes: SCOPES.map((scope) => ({ scope, target_ids: [...grant.scopes[scope]] })),
      },
    });
  };
}
