import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-schedule.ts';
import type { RunnerWakeups } from './runner-wakeups.ts';
import { WebhookSender } from './sender.ts';

export interface WebhookEngineConfig {
  timeoutMs: number;
  disableAfterMs: number;
  /** Requests in flight per destination: the lanes of its delivery job. */
  concurrencyPerEndpoint: number;
  requireHttps: boolean;
  allowLoopback: boolean;
  /** How long a runner with nothing left to send keeps its role, looking for new work (see `IdleGrace`). */
  idleGraceMs?: number;
}

/** What an attempt made of its delivery: delivered, another try scheduled, or given up on (or, manual, not delivered). */
export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed';

/** Told of every attempt as it finishes (the hub's metrics); it must be cheap and never throw. */
export interface DeliveryObserver {
  attempted(outcome: DeliveryOutcome, eventId: string, trigger: 'scheduled' | 'manual'): void;
}

const NO_OBSERVER: DeliveryObserver = { attempted() {} };

/**
 * A runner that runs dry stays a little while (`ms`), holding its role: producers then add no
 * job for its destination but notify it (`RunnerWakeups`), and an event recorded meanwhile costs
 * no job, no pick-up and no claim. Only the worker lends slots to it, at most half of its own
 * (see `startWorker`), so idle runners never take the slots other destinations need; without a
 * lent slot (`drainJobs`, a process without a worker) a runner gives its role up at once.
 */
export class IdleGrace {
  readonly ms: number;
  /** Without a notification, a waiting runner still looks this often (a lost notification costs this much). */
  readonly fallbackMs = 25;
  #slots = 0;
  #held = 0;
  #wakeups: RunnerWakeups | null = null;

  constructor(ms: number) {
    this.ms = ms;
  }

  /** The worker lends `slots` of its job slots; the function it gets back takes them back. */
  lend(slots: number, wakeups: RunnerWakeups): () => void {
    this.#slots += slots;
    this.#wakeups = wakeups;
    let returned = false;
    return () => {
      if (returned) return;
      returned = true;
      this.#slots -= slots;
      if (this.#wakeups === wakeups) this.#wakeups = null;
    };
  }

  /**
   * A slot to wait out the grace in, with the destination's notifications, or null (none lent,
   * or all in use). `wait` resolves at a notification, after `fallbackMs` or on `signal`; `done`
   * gives the slot back.
   */
  take(destinationId: string): { wait(signal?: AbortSignal): Promise<void>; done(): void } | null {
    const wakeups = this.#wakeups;
    if (this.ms <= 0 || !wakeups || this.#held >= this.#slots) return null;
    this.#held++;
    const sub = wakeups.subscribe(destinationId);
    let done = false;
    return {
      wait: (signal) => sub.wait(this.fallbackMs, signal),
      done: () => {
        if (done) return;
        done = true;
        sub.close();
        this.#held--;
      },
    };
  }
}

/** 250 ms: idle events a few tens of ms apart keep one runner going; a quiet destination frees its slot soon. */
export const DEFAULT_IDLE_GRACE_MS = 250;

/**
 * What a delivering process holds: the HTTP client, the retry policy, the per-destination
 * concurrency, the idle grace of its runners and the observer of outcomes.
 */
export class WebhookEngine {
  readonly sender: WebhookSender;
  readonly retry: RetryPolicy;
  readonly disableAfterMs: number;
  readonly concurrencyPerEndpoint: number;
  readonly idleGrace: IdleGrace;
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
    this.idleGrace = new IdleGrace(config.idleGraceMs ?? DEFAULT_IDLE_GRACE_MS);
    this.observer = observer;
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}
