import { type RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

/** How often spending counted in memory is written to the shared store. */
export const BATCH_FLUSH_MS = 200;
/** Share of a budget one process may spend without having written it to the store. */
export const UNSYNCED_SHARE = 0.01;

interface Entry {
  /** Points left in the window as of the last write to the store. */
  remaining: number;
  /** When that window ends (`Date.now()` ms). */
  resetAt: number;
  /** Spent here since the last write. */
  pending: number;
  /** A write in flight. */
  flushing: Promise<void> | undefined;
}

/**
 * A local pre-counting layer over rate-limiter-flexible's PostgreSQL limiter (fixed windows,
 * shared by every process). The first request of a subject in a window is counted in the store
 * as usual; later ones are counted in memory against what the store last said was left, and
 * written to it in one `consume(key, n)` every `BATCH_FLUSH_MS`, or at once when a process has
 * `maxUnsynced` unwritten points (then the request waits for that write). A subject the store
 * said was spent is refused from memory until its window ends.
 *
 * Tolerance: a process never admits more than `maxUnsynced` points the store has not seen, plus
 * as many again while a write is in flight, so with N processes a window admits at most
 * `limit + 2 · N · maxUnsynced` (1 % of the budget each, so 2 % per process) and within one
 * process the count is exact. Points counted in memory by a process that dies before its next
 * write (at most 200 ms' worth, ≤ 2 · maxUnsynced) are lost, in the caller's favour.
 */
export class BatchedLimiter {
  readonly #store: RateLimiterPostgres;
  readonly #maxUnsynced: number;
  readonly #entries = new Map<string, Entry>();
  #timer: NodeJS.Timeout | undefined;

  constructor(store: RateLimiterPostgres, limit: number) {
    this.#store = store;
    this.#maxUnsynced = Math.max(1, Math.floor(limit * UNSYNCED_SHARE));
  }

  /** Spends one point: resolves with the limiter's result when allowed, rejects with it when not. */
  async consume(key: string): Promise<RateLimiterRes> {
    for (;;) {
      const now = Date.now();
      const entry = this.#entries.get(key);
      if (!entry || now >= entry.resetAt) return this.#consumeInStore(key, entry, now);
      const left = entry.remaining - entry.pending;
      if (left <= 0) throw new RateLimiterRes(0, entry.resetAt - now, undefined, false);
      if (entry.pending >= this.#maxUnsynced) {
        await this.#flush(key, entry);
        continue;
      }
      entry.pending++;
      this.#schedule();
      return new RateLimiterRes(left - 1, entry.resetAt - now, undefined, false);
    }
  }

  /** Writes what an expired or unknown subject owes, plus this request, and remembers the answer. */
  async #consumeInStore(key: string, previous: Entry | undefined, now: number): Promise<RateLimiterRes> {
    // Points counted at the very end of the last window land in the new one: in the store's favour.
    await previous?.flushing;
    const owed = previous ? previous.pending : 0;
    if (previous) previous.pending = 0;
    try {
      const res = await this.#store.consume(key, 1 + owed);
      this.#remember(key, res, now);
      return res;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) this.#remember(key, rejection, now);
      else if (previous) previous.pending += owed;
      throw rejection;
    }
  }

  #remember(key: string, res: RateLimiterRes, now: number): void {
    const entry = this.#entries.get(key);
    const remaining = Math.max(0, res.remainingPoints);
    const resetAt = now + res.msBeforeNext;
    if (entry) Object.assign(entry, { remaining, resetAt });
    else this.#entries.set(key, { remaining, resetAt, pending: 0, flushing: undefined });
  }

  #flush(key: string, entry: Entry): Promise<void> {
    if (entry.flushing) return entry.flushing;
    const n = entry.pending;
    if (n === 0) return Promise.resolve();
    entry.pending = 0;
    const now = Date.now();
    entry.flushing = this.#store
      .consume(key, n)
      .then(
        (res) => this.#remember(key, res, now),
        (rejection) => {
          if (rejection instanceof RateLimiterRes) this.#remember(key, rejection, now);
          // The store is unreachable: keep the points for the next write.
          else entry.pending += n;
        },
      )
      .finally(() => {
        entry.flushing = undefined;
      });
    return entry.flushing;
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = Date.now();
      for (const [key, entry] of this.#entries) {
        if (entry.pending > 0) void this.#flush(key, entry);
        else if (now >= entry.resetAt && !entry.flushing) this.#entries.delete(key);
      }
      if ([...this.#entries.values()].some((e) => e.pending > 0)) this.#schedule();
    }, BATCH_FLUSH_MS);
    this.#timer.unref();
  }

  /** Writes everything counted in memory now (tests; a process shutting down). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.#entries].map(([key, entry]) => this.#flush(key, entry)));
  }
}
