import type { WebhookFormat } from '../../../../shared/statuses.ts';
import type { SecretBox } from '../../../crypto/secret-box.ts';
import { newId } from '../../../ids.ts';
import { extraHeaders, signingSecrets } from '../destination-secrets.ts';
import type { DestinationRow } from './delivery-store.ts';
import type { SendResult, WebhookSender } from './sender.ts';
import { signDelivery, signWhathooks } from './signing.ts';
import { whathooksBody } from './whathooks-format.ts';

export interface Attempted {
  attemptId: string;
  startedAt: Date;
  url: string;
  /** What the attempt log keeps of the request headers: see `loggedHeaders`. */
  headers: Record<string, string>;
  result: SendResult;
}

export const REDACTED = '[redacted]';

/**
 * The headers as sent, for the attempt log: the hub's own (signatures are HMACs, not the
 * secret) as they were, a destination's custom headers by name only, since they are stored
 * sealed (bearer tokens, API keys) and the log is readable by every partner user.
 */
export function loggedHeaders(custom: Record<string, string>, signed: Record<string, string>) {
  const names = Object.fromEntries(Object.keys(custom).map((name) => [name, REDACTED]));
  return { ...names, ...signed };
}

/** What a destination sends with, decrypted once per delivery run rather than per request. */
export interface Credentials {
  url: string;
  secrets: string[];
  headers: Record<string, string>;
  /** How the request is shaped and signed (the stored event is the same either way). */
  format: WebhookFormat;
}

export function credentialsOf(
  box: SecretBox,
  dest: DestinationRow & { url: string },
  now: Date,
): Credentials {
  return {
    url: dest.url,
    secrets: signingSecrets(box, dest, now),
    headers: extraHeaders(box, dest),
    format: dest.format,
  };
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
  const { body, signed } = signedRequest(credentials, event, attemptId, startedAt);
  const result = await sender.send(credentials.url, { ...credentials.headers, ...signed }, body, signal);
  return {
    attemptId,
    startedAt,
    url: credentials.url,
    headers: loggedHeaders(credentials.headers, signed),
    result,
  };
}

/** The body and the hub's headers of one attempt, in the destination's format. */
function signedRequest(
  credentials: Credentials,
  event: { eventId: string; eventType: string; body: string },
  attemptId: string,
  startedAt: Date,
): { body: string; signed: Record<string, string> } {
  if (credentials.format === 'whathooks') {
    const body = whathooksBody(event, startedAt);
    const signed = signWhathooks({
      eventType: event.eventType,
      attemptId,
      body,
      secrets: credentials.secrets,
    });
    return { body, signed };
  }
  const signed = signDelivery({
    eventId: event.eventId,
    eventType: event.eventType,
    attemptId,
    timestamp: startedAt,
    body: event.body,
    secrets: credentials.secrets,
  });
  return { body: event.body, signed };
}
