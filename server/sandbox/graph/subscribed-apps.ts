import type { Request, Response } from 'express';
import type { SandboxState } from '../state.ts';
import { findSubscription, subscribeApp, unsubscribeApp } from '../store/subscriptions.ts';
import { verifyCallback } from '../webhooks/callback-verification.ts';
import { authenticate } from './caller.ts';
import { graphErrors } from './errors.ts';
import { SANDBOX_APP_NAME } from './oauth.ts';
import { graphParams, stringParam } from './params.ts';
import { managedWaba } from './scoped-objects.ts';

/**
 * `POST /{waba_id}/subscribed_apps`: subscribes the app to the WABA's webhooks. With
 * `override_callback_uri` (and its `verify_token`), Meta first verifies the URI with the
 * GET handshake and refuses the subscription if it fails; so does the sandbox. As at Meta, an
 * override is refused on a WABA the app is not subscribed to yet (code 100, "Before override the
 * current callback uri…"): subscribe without it first.
 */
export function subscribeHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const waba = await managedWaba(state, caller, req.params.id, 'POST');
    const uri = stringParam(params, 'override_callback_uri');
    if (uri !== undefined) {
      if (!(await findSubscription(state.query, waba.id, state.deps.meta.appId)))
        throw graphErrors.overrideBeforeSubscribe();
      const verifyToken = stringParam(params, 'verify_token');
      if (!verifyToken) throw graphErrors.missingParameter('verify_token');
      let parsed: URL | undefined;
      try {
        parsed = new URL(uri);
      } catch {}
      if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
        throw graphErrors.invalidParameter('Param override_callback_uri must be a valid URL');
      }
      const failure = await verifyCallback(state.http, uri, verifyToken, { trusted: state.isHubUrl(uri) });
      if (failure) throw graphErrors.callbackVerificationFailed(failure);
    }
    await subscribeApp(state.query, waba.id, state.deps.meta.appId, uri ?? null, state.deps.clock.now());
    res.json({ success: true });
  };
}

/** `GET /{waba_id}/subscribed_apps`: the sandbox app, if subscribed. */
export function listSubscriptionsHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const waba = await managedWaba(state, caller, req.params.id, 'GET');
    const { appId } = state.deps.meta;
    const sub = await findSubscription(state.query, waba.id, appId);
    const data = sub
      ? [
          {
            whatsapp_business_api_data: {
              id: appId,
              link: `https://www.facebook.com/games/?app_id=${appId}`,
              name: SANDBOX_APP_NAME,
            },
            ...(sub.overrideCallbackUri ? { override_callback_uri: sub.overrideCallbackUri } : {}),
          },
        ]
      : [];
    res.json({ data });
  };
}

/** `DELETE /{waba_id}/subscribed_apps`: succeeds whether or not the app was subscribed, as at Meta. */
export function unsubscribeHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const waba = await managedWaba(state, caller, req.params.id, 'DELETE');
    await unsubscribeApp(state.query, waba.id, state.deps.meta.appId);
    res.json({ success: true });
  };
}
