import pg from 'pg';
import type { Logger } from '../logger.ts';

const RECONNECT_MS = 1000;

/**
 * One LISTEN connection for one channel, whose notifications carry a key (a destination's id, a
 * session's id): waiters `subscribe` to a key, or `onAny` sees every one. A hint only, by
 * design: a notification lost with the connection (it reconnects by itself, every second) must
 * cost its listener latency, never work, so every user also looks on a timer.
 */
export class PgNotifications {
  readonly #databaseUrl: string;
  readonly #channel: string;
  readonly #logger: Logger;
  readonly #subscribers = new Map<string, Set<Subscription>>();
  readonly #any = new Set<(key: string) => void>();
  #client: pg.Client | null = null;
  #closed = false;
  #loop: Promise<void> | null = null;

  constructor(databaseUrl: string, channel: string, logger: Logger) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    this.#databaseUrl = databaseUrl;
    this.#channel = channel;
    this.#logger = logger;
  }

  start(): void {
    this.#loop ??= this.#listen();
  }

  async #listen(): Promise<void> {
    while (!this.#closed) {
      const client = new pg.Client({
        connectionString: this.#databaseUrl,
        application_name: `partner-hub-${this.#channel}`,
        connectionTimeoutMillis: 5000,
      });
      const ended = new Promise<void>((resolve) => {
        client.on('end', resolve);
        client.on('error', (err) => {
          this.#logger.debug({ err, channel: this.#channel }, 'notification connection lost');
          resolve();
        });
      });
      client.on('notification', (n) => {
        if (n.payload) this.#notify(n.payload);
      });
      try {
        await client.connect();
        await client.query(`listen ${this.#channel}`);
        this.#client = client;
        if (!this.#closed) await ended;
      } catch (err) {
        this.#logger.debug({ err, channel: this.#channel }, 'notification connection failed');
      }
      this.#client = null;
      await client.end().catch(() => {});
      if (!this.#closed) await new Promise((r) => setTimeout(r, RECONNECT_MS).unref());
    }
  }

  #notify(key: string): void {
    for (const sub of this.#subscribers.get(key) ?? []) sub.wake();
    for (const listener of this.#any) listener(key);
  }

  /** Notifications for `key`, from now until `close()`d. */
  subscribe(key: string): Subscription {
    const sub = new Subscription(() => {
      const subs = this.#subscribers.get(key);
      subs?.delete(sub);
      if (subs?.size === 0) this.#subscribers.delete(key);
    });
    const subs = this.#subscribers.get(key) ?? new Set<Subscription>();
    this.#subscribers.set(key, subs);
    subs.add(sub);
    return sub;
  }

  /** Every notification's key, from now until the returned function is called. */
  onAny(listener: (key: string) => void): () => void {
    this.#any.add(listener);
    return () => this.#any.delete(listener);
  }

  /** Ends the connection; a reconnection under way ends by itself (it checks `closed`), unawaited. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#client?.end().catch(() => {});
  }
}

/** One waiter's interest in one key's notifications. */
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
