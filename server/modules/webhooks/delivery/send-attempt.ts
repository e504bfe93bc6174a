import type { SecretBox } from '../../../crypto/secret-box.ts';
import { newId } from '../../../ids.ts';
import { extraHeaders, signingSecrets } from '../destination-secrets.ts';
import type { DestinationRow } from './delivery-store.ts';
import type { SendResult, WebhookSender } from './sender.ts';
import { signDelivery } from './signing.ts';

export interface Attempted {
  attemptId: string;
  startedAt: Date;
  url: string;
  result: SendResult;
}

/** What a destination sends with, decrypted once per delivery run rather than per request. */
export interface Credentials {
  url: string;
  secrets: string[];
  headers: Record<string, string>;
}

export function credentialsOf(
  box: SecretBox,
  dest: DestinationRow & { url: string },
  now: Date,
): Credentials {
  return { url: dest.url, secrets: signingSecrets(box, dest, now), headers: extraHeaders(box, dest) };
}

/** One signed HTTP attempt of one event; the same for scheduled and manual attempts, for every kind of destination. */
export async function sendAttempt(
  sender: WebhookSender,
  credentials: Credentials,
  event: { eventId: string; eventType: string; body: string },
  startedAt: Date,
  signal?: AbortSignal,
): Promise<Attempted> {
  const attemptId = newId('webhookAttempt');
  const signed = signDelivery({
    eventId: event.eventId,
    eventType: event.eventType,
    attemptId,
    timestamp: startedAt,
    body: event.body,
    secrets: credentials.secrets,
  });
  const result = await sender.send(
    credentials.url,
    { ...credentials.headers, ...signed },
    event.body,
    signal,
  );
  return { attemptId, startedAt, url: credentials.url, result };
}
