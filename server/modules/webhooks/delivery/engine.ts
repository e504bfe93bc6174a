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

/**
 * What a delivering process holds: the HTTP client, the retry policy and the per-destination
 * concurrency.
 */
export class WebhookEngine {
  readonly sender: WebhookSender;
  readonly retry: RetryPolicy;
  readonly disableAfterMs: number;
  readonly concurrencyPerEndpoint: number;

  constructor(config: WebhookEngineConfig, retry: RetryPolicy = DEFAULT_RETRY_POLICY) {
    this.sender = new WebhookSender(config);
    this.retry = retry;
    this.disableAfterMs = config.disableAfterMs;
    this.concurrencyPerEndpoint = config.concurrencyPerEndpoint;
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}
