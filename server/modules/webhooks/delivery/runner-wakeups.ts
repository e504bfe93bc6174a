import pg from 'pg';
import type { Logger } from '../../../logger.ts';

/** The channel a producer notifies, with the destination's id, when it left new work to a running runner. */
export const RUNNER_WAKEUP_CHANNEL = 'webhook_runner';

const RECONNECT_MS = 1000;

/**
 * One LISTEN connection per worker process, for runners waiting out their idle grace: a
 * producer that records work for a destination whose runner holds the role adds no job and
 * notifies instead (see `recordEvents`), and the runner looks at once. A hint only: a runner
 * also looks every `IdleGrace.fallbackMs`, and gives its role up only under the runner lock after
 * a last look (`releaseRunner`), so a notification lost with the connection costs latency, never
 * an event. Reconnects by itself.
 */
export class RunnerWakeups {
  readonly #databaseUrl: string;
  readonly #logger: Logger;
  readonly #subscribers = new Map<string, Set<Subscription>>();
  #client: pg.Client | null = null;
  #closed = false;
  #loop: Promise<void> | null = null;

  constructor(databaseUrl: string, logger: Logger) {
    this.#databaseUrl = databaseUrl;
    this.#logger = logger;
  }

  start(): void {
    this.#loop ??= this.#listen();
  }

  async #listen(): Promise<void> {
    while (!this.#closed) {
      const client = new pg.Client({
        connectionString: this.#databaseUrl,
        application_name: 'partner-hub-runner-wakeups',
        connectionTimeoutMillis: 5000,
      });
      const ended = new Promise<void>((resolve) => {
        client.on('end', resolve);
        client.on('error', (err) => {
          this.#logger.debug({ err }, 'runner wake-up connection lost');
          resolve();
        });
      });
      client.on('notification', (n) => {
        if (n.payload) this.#notify(n.payload);
      });
      try {
        await client.connect();
        await client.query(`listen ${RUNNER_WAKEUP_CHANNEL}`);
        this.#client = client;
        if (!this.#closed) await ended;
      } catch (err) {
        this.#logger.debug({ err }, 'runner wake-up connection failed');
      }
      this.#client = null;
      await client.end().catch(() => {});
      if (!this.#closed) await new Promise((r) => setTimeout(r, RECONNECT_MS).unref());
    }
  }

  #notify(destinationId: string): void {
    for (const sub of this.#subscribers.get(destinationId) ?? []) sub.wake();
  }

  /** Notifications for the destination, from now until `close()`d. */
  subscribe(destinationId: string): Subscription {
    const sub = new Subscription(() => {
      const subs = this.#subscribers.get(destinationId);
      subs?.delete(sub);
      if (subs?.size === 0) this.#subscribers.delete(destinationId);
    });
    const subs = this.#subscribers.get(destinationId) ?? new Set<Subscription>();
    this.#subscribers.set(destinationId, subs);
    subs.add(sub);
    return sub;
  }

  /** Ends the connection; a reconnection under way ends by itself (it checks `closed`), unawaited. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#client?.end().catch(() => {});
  }
}

/** A runner's interest in one destination's notifications while it waits out its grace. */
export class Subscription {
  #woken = false;
  #resolve: (() => void) | null = null;
  readonly #unsubscribe: () => void;

  constructor(unsubscribe: () => void) {
    this.#unsubscribe = unsubscribe;
  }

  wake(): void {
    this.#woken = true;
    this.#resolve?.();
  }

  /** Resolves at the next notification (or one that came since the last wait), after `ms`, or on `signal`. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#woken || signal?.aborted) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#resolve = null;
        this.#woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.#resolve = done;
    });
  }

  close(): void {
    this.#resolve?.();
    this.#unsubscribe();
  }
}
