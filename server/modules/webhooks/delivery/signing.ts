import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

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

// Constructing a Webhook decodes its secret; a hub signs with few distinct secrets.
const signers = new Map<string, Webhook>();
function signerFor(secret: string): Webhook {
  let signer = signers.get(secret);
  if (!signer) {
    if (signers.size > 10_000) signers.clear();
    signer = new Webhook(secret);
    signers.set(secret, signer);
  }
  return signer;
}

/**
 * Standard Webhooks headers (every secret's `v1,` signature, space-separated, so receivers
 * verify across a rotation), plus `X-Hub-Signature-256` for receivers that only do a plain
 * HMAC: `sha256=` + hex HMAC-SHA256 of the raw body, keyed with the current secret string
 * exactly as shown to the partner (`whsec_…`).
 */
export function signDelivery(input: SignInput): Record<string, string> {
  const [current] = input.secrets;
  if (!current) throw new Error('signDelivery needs at least one secret');
  const signatures = input.secrets.map((s) => signerFor(s).sign(input.eventId, input.timestamp, input.body));
  return {
    'content-type': 'application/json',
    'webhook-id': input.eventId,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
    'x-hub-signature-256': `sha256=${createHmac('sha256', current).update(input.body).digest('hex')}`,
    'x-hub-event': input.eventType,
    'x-hub-delivery': input.attemptId,
  };
}
