/**
 * Memoises lookups for a short while so hot Graph paths (`/messages` under load) do not query
 * per call. Concurrent misses share one load. Freshness is measured in real time, not on the
 * injected clock: it bounds staleness of reads, it does not decide any Meta behaviour.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: Promise<V>; until: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(ttlMs: number, maxEntries = 10_000) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = performance.now();
    const hit = this.#entries.get(key);
    if (hit && hit.until > now) return hit.value;
    // A full map is simply dropped: entries live a second, so nothing of value is lost.
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    const value = load();
    const entry = { value, until: now + this.#ttlMs };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
