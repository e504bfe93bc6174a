import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { secretKeys } from '../../../crypto/chosen-secret.ts';

export interface SignInput {
  /** The event id: the Standard Webhooks `webhook-id`, stable across retries. */
  eventId: string;
  /** The event type, sent as `X-Hub-Event`. */
  eventType: string;
  /** The attempt id, sent as `X-Hub-Delivery`. */
  attemptId: string;
  timestamp: Date;
  body: string;
  /** Current secret first; during a rotation's overlap window, the previous one too. */
  secrets: readonly string[];
}

interface Keys {
  /** Standard Webhooks signs with the base64-decoded part after `whsec_` (a chosen secret: its bytes). */
  standard: KeyObject;
  /** `X-Hub-Signature-256` is keyed with the secret string exactly as shown to the partner. */
  plain: KeyObject;
}

// A hub signs with few distinct secrets; decoding and importing them once each is measurable.
const keyCache = new Map<string, Keys>();
function keysFor(secret: string): Keys {
  let keys = keyCache.get(secret);
  if (!keys) {
    if (keyCache.size > 10_000) keyCache.clear();
    const bytes = secretKeys(secret);
    keys = { standard: createSecretKey(bytes.standard), plain: createSecretKey(bytes.plain) };
    keyCache.set(secret, keys);
  }
  return keys;
}

/**
 * Standard Webhooks headers (every secret's `v1,` signature, space-separated, so receivers
 * verify across a rotation), plus `X-Hub-Signature-256` for receivers that only do a plain
 * HMAC: `sha256=` + hex HMAC-SHA256 of the raw body, keyed with the current secret string
 * exactly as shown to the partner (`whsec_…`). Signed with node:crypto; the standardwebhooks
 * library (pure-JS SHA-256) verifies them in the tests.
 */
export function signDelivery(input: SignInput): Record<string, string> {
  const [current] = input.secrets;
  if (!current) throw new Error('signDelivery needs at least one secret');
  const timestamp = String(Math.floor(input.timestamp.getTime() / 1000));
  const signed = `${input.eventId}.${timestamp}.${input.body}`;
  const signatures = input.secrets.map(
    (s) => `v1,${createHmac('sha256', keysFor(s).standard).update(signed).digest('base64')}`,
  );
  return {
    'content-type': 'application/json',
    'webhook-id': input.eventId,
    'webhook-timestamp': timestamp,
    'webhook-signature': signatures.join(' '),
    'x-hub-signature-256': `sha256=${createHmac('sha256', keysFor(current).plain).update(input.body).digest('hex')}`,
    'x-hub-event': input.eventType,
    'x-hub-delivery': input.attemptId,
  };
}

/**
 * whathooks' headers: `X-Whathooks-Signature: sha256=` + hex HMAC-SHA256 of the raw body, keyed
 * with the current secret string exactly as shown to the partner (whathooks' `verifySignature`
 * takes one signature, so during a rotation's overlap only the new secret signs).
 */
export function signWhathooks(input: {
  eventType: string;
  attemptId: string;
  body: string;
  secrets: readonly string[];
}): Record<string, string> {
  const [current] = input.secrets;
  if (!current) throw new Error('signWhathooks needs at least one secret');
  return {
    'content-type': 'application/json',
    'x-whathooks-event': input.eventType,
    'x-whathooks-delivery': input.attemptId,
    'x-whathooks-signature': `sha256=${createHmac('sha256', keysFor(current).plain).update(input.body).digest('hex')}`,
  };
}
