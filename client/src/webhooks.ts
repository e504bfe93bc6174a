import { WebhookVerificationError as LibraryError, Webhook } from 'standardwebhooks';
import type { EventDataByType } from './contract.ts';

export type EventType = keyof EventDataByType;

/** A verified event, typed by its `type`. */
export type HubEvent = {
  [T in EventType]: { type: T; timestamp: string; partner_id: string; data: EventDataByType[T] };
}[EventType];

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

type Headers = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function header(headers: Headers, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const value =
    record[name] ??
    record[name.toLowerCase()] ??
    Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a delivery from the hub with the Standard Webhooks library (signature over
 * `webhook-id.webhook-timestamp.body`, timestamps within 5 minutes) and returns the typed event.
 * `rawBody` must be the exact bytes received (a string, or a Buffer or other Uint8Array); `secret` is the `whsec_…` secret of the endpoint.
 * Channel webhooks carry Meta's envelope instead: use `verifyWebhookRaw` for those.
 */
export function verifyWebhook(secret: string, rawBody: string | Uint8Array, headers: Headers): HubEvent {
  return verifyWebhookRaw(secret, rawBody, headers) as HubEvent;
}

/** The same check, returning the parsed body whatever its shape (e.g. Meta's envelope on channel webhooks). */
export function verifyWebhookRaw(secret: string, rawBody: string | Uint8Array, headers: Headers): unknown {
  const required = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
  const values = Object.fromEntries(required.map((name) => [name, header(headers, name)]));
  const missing = required.filter((name) => !values[name]);
  if (missing.length > 0) throw new WebhookVerificationError(`Missing header(s): ${missing.join(', ')}`);
  try {
    return new Webhook(secret.replace(/^whsec_/, '')).verify(
      typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody),
      values as Record<string, string>,
    );
  } catch (err) {
    const message = err instanceof LibraryError || err instanceof Error ? err.message : String(err);
    throw new WebhookVerificationError(`Webhook verification failed: ${message}`);
  }
}
