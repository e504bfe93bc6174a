import { AppError } from '../../errors.ts';
import type { SandboxState } from '../state.ts';
import { findSubscription } from '../store/subscriptions.ts';
import type { MetaWebhookPayload } from '../webhooks/payloads.ts';
import { sendWebhook, type WebhookTarget } from '../webhooks/sender.ts';

/**
 * Where Meta would send a WABA's webhooks: its override callback if one is set, else the
 * app's callback (the hub's inbound relay). Message webhooks exist only for WABAs the app
 * subscribed to, as at Meta; account updates reach the app regardless.
 */
export async function webhookTarget(
  state: SandboxState,
  wabaId: string,
  options: { requireSubscription: boolean },
): Promise<WebhookTarget> {
  const sub = await findSubscription(state.query, wabaId, state.deps.meta.appId);
  if (!sub && options.requireSubscription) {
    throw new AppError(
      'conflict',
      `The sandbox app is not subscribed to WABA ${wabaId}: Meta sends message webhooks only after POST /{waba_id}/subscribed_apps`,
    );
  }
  if (sub?.overrideCallbackUri) {
    return { url: sub.overrideCallbackUri, trusted: state.isHubUrl(sub.overrideCallbackUri) };
  }
  return { url: state.deps.meta.callbackUrl, trusted: true };
}

export interface DispatchResult {
  delivered: boolean;
  /** The receiver's HTTP status, or null when none came. */
  status: number | null;
  url: string;
  /** Why nothing was delivered (timeout, refused URL, …). */
  error?: string;
  payload: MetaWebhookPayload;
}

/** Sends and waits for the receiver's answer, so callers see what the hub did with it. */
export async function dispatch(
  state: SandboxState,
  target: WebhookTarget,
  payload: MetaWebhookPayload,
): Promise<DispatchResult> {
  const sent = await sendWebhook(state.http, state.deps.meta.appSecret, target, payload);
  return {
    delivered: sent.delivered,
    status: sent.status,
    url: target.url,
    ...(sent.error ? { error: sent.error } : {}),
    payload,
  };
}
