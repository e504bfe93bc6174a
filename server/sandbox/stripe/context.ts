import type { PaymentsConfig } from '../../config/env.ts';
import { randomBase62 } from '../ids.ts';
import type { SandboxState } from '../state.ts';
import type { Query } from '../store/db.ts';
import { type PendingEvent, StripeWebhookSender } from './webhooks.ts';

/** What a write inside a sandbox transaction may do besides SQL: record a webhook event. */
export interface StripeTx {
  q: Query;
  emit(type: string, object: Record<string, unknown>): void;
}

/** The Stripe sandbox's shared parts, built once per router. */
export interface StripeSandbox {
  state: SandboxState;
  config: PaymentsConfig;
  /** The sandbox's public origin and path, e.g. http://localhost:8082/sandbox/stripe. */
  baseUrl: string;
  /** Unix seconds on the hub's clock, as in Stripe's `created`. */
  now(): number;
  /** Runs `work` in one transaction; its events are sent once it has committed. */
  write<T>(work: (tx: StripeTx) => Promise<T>): Promise<T>;
  webhooks: StripeWebhookSender;
}

export function createStripeSandbox(state: SandboxState): StripeSandbox {
  const config = state.deps.config.payments;
  const webhooks = new StripeWebhookSender(state, config);
  const now = () => Math.floor(state.deps.clock.now().getTime() / 1000);
  return {
    state,
    config,
    baseUrl: `${state.deps.config.publicUrl}/sandbox/stripe`,
    now,
    webhooks,
    async write(work) {
      const events: PendingEvent[] = [];
      const result = await state.transaction(async (q) => {
        const out = await work({ q, emit: (type, object) => events.push({ type, object }) });
        await webhooks.record(q, events, now());
        return out;
      });
      webhooks.deliverSoon(events);
      return result;
    },
  };
}

/** Stripe ids: a type prefix and 24 base62 characters. */
export function stripeId(prefix: string): string {
  return `${prefix}_${randomBase62(24)}`;
}
