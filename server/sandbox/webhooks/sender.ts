import { signMetaBody, signMetaBodySha1 } from '../../meta/webhook-signature.ts';
import type { OutboundHttp } from './outbound-http.ts';
import type { MetaWebhookPayload } from './payloads.ts';

export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookTarget {
  url: string;
  /** The hub's own configured callback: not subject to the SSRF guard. */
  trusted: boolean;
}

export interface SentWebhook {
  delivered: boolean;
  status: number | null;
  error: string | null;
}

/** POSTs one webhook the way Meta does: JSON, signed over the exact bytes sent. */
export async function sendWebhook(
  http: OutboundHttp,
  appSecret: string,
  target: WebhookTarget,
  payload: MetaWebhookPayload,
): Promise<SentWebhook> {
  const rawBody = JSON.stringify(payload);
  const res = await http.send(target.url, {
    method: 'POST',
    trusted: target.trusted,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    body: rawBody,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'facebookexternalua',
      'x-hub-signature-256': signMetaBody(appSecret, rawBody),
      'x-hub-signature': signMetaBodySha1(appSecret, rawBody),
    },
  });
  return {
    delivered: res.status !== null && res.status >= 200 && res.status < 300,
    status: res.status,
    error: res.error,
  };
}
