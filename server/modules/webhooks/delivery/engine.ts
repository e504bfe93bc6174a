import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-schedule.ts';
import { WebhookSender } from './sender.ts';

export interface WebhookEngineConfig {
  timeoutMs: number;
  disableAfterMs: number;
  /** Requests in flight per destination: the lanes of its delivery job. */
  concurrencyPerEndpoint: number;
  requireHttps: boolean;
  allowLoopback: boolean;
}

/** What an attempt made of its delivery: delivered, another try scheduled, or given up on (or, manual, not delivered). */
export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed';

/** Told of every attempt as it finishes (the hub's metrics); it must be cheap and never throw. */
export interface DeliveryObserver {
  attempted(outcome: DeliveryOutcome, eventId: string, trigger: 'scheduled' | 'manual'): void;
}

const NO_OBSERVER: DeliveryObserver = { attempted() {} };

/**
 * What a delivering process holds: the HTTP client, the retry policy, the per-destination
 * concurrency and the observer of outcomes.
 */
export class WebhookEngine {
  readonly sender: WebhookSender;
  readonly retry: RetryPolicy;
  readonly disableAfterMs: number;
  readonly concurrencyPerEndpoint: number;
  readonly observer: DeliveryObserver;

  constructor(
    config: WebhookEngineConfig,
    retry: RetryPolicy = DEFAULT_RETRY_POLICY,
    observer: DeliveryObserver = NO_OBSERVER,
  ) {
    this.sender = new WebhookSender(config);
    this.retry = retry;
    this.disableAfterMs = config.disableAfterMs;
    this.concurrencyPerEndpoint = config.concurrencyPerEndpoint;
    this.observer = observer;
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}
