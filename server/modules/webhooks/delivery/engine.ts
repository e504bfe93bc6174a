import pLimit, { type LimitFunction } from 'p-limit';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-schedule.ts';
import { WebhookSender } from './sender.ts';

export interface WebhookEngineConfig {
  timeoutMs: number;
  disableAfterMs: number;
  concurrencyPerEndpoint: number;
  /** How long a claimed delivery stays claimed without a heartbeat (a dead worker's deliveries resume after it). */
  leaseMs: number;
  requireHttps: boolean;
  allowLoopback: boolean;
}

/**
 * What a delivering process holds: the HTTP client, the retry policy, and one concurrency
 * limit per destination, so a slow partner queues behind itself and never starves others.
 */
export class WebhookEngine {
  readonly sender: WebhookSender;
  readonly retry: RetryPolicy;
  readonly disableAfterMs: number;
  readonly leaseMs: number;
  readonly #concurrency: number;
  readonly #limits = new Map<string, LimitFunction>();

  constructor(config: WebhookEngineConfig, retry: RetryPolicy = DEFAULT_RETRY_POLICY) {
    this.sender = new WebhookSender(config);
    this.retry = retry;
    this.disableAfterMs = config.disableAfterMs;
    this.leaseMs = config.leaseMs;
    this.#concurrency = config.concurrencyPerEndpoint;
  }

  limitFor(destinationKey: string): LimitFunction {
    let limit = this.#limits.get(destinationKey);
    if (!limit) {
      limit = pLimit(this.#concurrency);
      this.#limits.set(destinationKey, limit);
    }
    return limit;
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}
