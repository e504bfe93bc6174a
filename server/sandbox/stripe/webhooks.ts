import { createHmac } from 'node:crypto';
import type { PaymentsConfig } from '../../config/env.ts';
import { STRIPE_API_VERSION } from '../../payments/stripe-client.ts';
import { randomBase62 } from '../ids.ts';
import type { SandboxState } from '../state.ts';
import type { Query } from '../store/db.ts';
import { publicView } from './store.ts';

/** Delay before each attempt: Stripe retries for days; the sandbox gives up after about a minute. */
export const STRIPE_WEBHOOK_DELAYS_MS = [0, 2_000, 10_000, 60_000];
const TIMEOUT_MS = 10_000;

export interface PendingEvent {
  type: string;
  object: Record<string, unknown>;
  id?: string;
  payload?: string;
}

/** `Stripe-Signature` as Stripe sends it: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>`. */
export function stripeSignature(secret: string, payload: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/**
 * Stripe's webhooks to the one configured endpoint (`STRIPE_SANDBOX_WEBHOOK_URL`, by default the
 * hub's `/stripe/webhook`). Events are stored in the write's transaction and sent after it commits,
 * off the request, retried in this process (an event whose process stops is not sent again).
 */
export class StripeWebhookSender {
  readonly #state: SandboxState;
  readonly #config: PaymentsConfig;

  constructor(state: SandboxState, config: PaymentsConfig) {
    this.#state = state;
    this.#config = config;
  }

  async record(q: Query, events: PendingEvent[], created: number): Promise<void> {
    for (const event of events) {
      event.id = `evt_${randomBase62(24)}`;
      event.payload = JSON.stringify(
        {
          id: event.id,
          object: 'event',
          api_version: STRIPE_API_VERSION,
          created,
          data: { object: publicView(event.object) },
          livemode: false,
          pending_webhooks: 1,
          request: { id: null, idempotency_key: null },
          type: event.type,
        },
        null,
        2,
      );
      await q(
        `insert into sandbox.stripe_events (id, type, payload, endpoint_url, created_at) values (?, ?, ?::jsonb, ?, now())`,
        [event.id, event.type, event.payload, this.#config.sandboxWebhookUrl],
      );
    }
  }

  deliverSoon(events: PendingEvent[]): void {
    for (const event of events) void this.#attempt(event, 0);
  }

  async #attempt(event: PendingEvent, attempt: number): Promise<void> {
    const secret = this.#config.webhookSecret;
    if (!secret || !event.payload) return;
    const url = this.#config.sandboxWebhookUrl;
    // Signed at sending, with the real time: receivers check the timestamp against their own clock.
    const res = await this.#state.http.send(url, {
      method: 'POST',
      trusted: this.#state.isHubUrl(url),
      timeoutMs: TIMEOUT_MS,
      body: event.payload,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': stripeSignature(secret, event.payload, Math.floor(Date.now() / 1000)),
      },
    });
    const delivered = res.status !== null && res.status >= 200 && res.status < 300;
    await this.#state
      .query(
        `update sandbox.stripe_events set attempts = attempts + 1, last_status = ?, last_error = ?,
           delivered_at = case when ? then now() else delivered_at end where id = ?`,
        [res.status, res.error, delivered, event.id],
      )
      .catch(() => {});
    const delay = STRIPE_WEBHOOK_DELAYS_MS[attempt + 1];
    if (!delivered && delay !== undefined) {
      setTimeout(() => void this.#attempt(event, attempt + 1), delay).unref();
    }
  }
}

export interface StoredEvent {
  id: string;
  type: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  payload: Record<string, unknown>;
}

/** The newest events first, for the control API. */
export function listEvents(q: Query, type: string | undefined, limit: number): Promise<StoredEvent[]> {
  return q<StoredEvent>(
    `select id, type, attempts, last_status, last_error, delivered_at, payload from sandbox.stripe_events
      where (?::text is null or type = ?) order by created_at desc, id limit ?`,
    [type ?? null, type ?? null, limit],
  );
}
