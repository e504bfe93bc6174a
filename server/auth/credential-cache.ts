import { LRUCache } from 'lru-cache';

/**
 * How long a credential lookup is reused: under a second, so revoking a credential (or what it
 * depends on) takes effect within 1 s on every process without any cross-process channel, while
 * a busy caller does not cost a query per request.
 */
export const CREDENTIAL_CACHE_TTL_MS = 900;
/** Entries kept per cache; the least recently used go first. */
export const CREDENTIAL_CACHE_MAX = 50_000;

/**
 * A short-lived, bounded cache of credential lookups, keyed by the credential's SHA-256 (never
 * the plaintext), with one lookup in flight per key so a burst on a cold credential makes one
 * query. Misses (`null`) are cached too, so a flood of well-formed bad credentials does not
 * reach the database either; a miss is never turned into a hit without a fresh lookup.
 */
export class CredentialCache<V extends object> {
  readonly #cache: LRUCache<string, { value: V | null }>;
  readonly #pending = new Map<string, Promise<V | null>>();
  /** Bumped by `clear`, so a lookup that started before it does not store what it read. */
  #generation = 0;

  constructor(options: { ttlMs?: number; max?: number } = {}) {
    this.#cache = new LRUCache({
      max: options.max ?? CREDENTIAL_CACHE_MAX,
      ttl: options.ttlMs ?? CREDENTIAL_CACHE_TTL_MS,
    });
  }

  /** The cached value for `hash`, or what `load` finds (then cached for the TTL). */
  get(hash: string, load: (hash: string) => Promise<V | null>): Promise<V | null> | V | null {
    const cached = this.#cache.get(hash);
    if (cached) return cached.value;
    let pending = this.#pending.get(hash);
    if (!pending) {
      const generation = this.#generation;
      pending = load(hash)
        .then((value) => {
          if (generation === this.#generation) this.#cache.set(hash, { value });
          return value;
        })
        .finally(() => this.#pending.delete(hash));
      this.#pending.set(hash, pending);
    }
    return pending;
  }

  /** Forget one credential now (this process); other processes follow within the TTL. */
  forget(hash: string): void {
    this.#cache.delete(hash);
    this.#pending.delete(hash);
  }

  /** Forget everything now (this process), including lookups in flight. */
  clear(): void {
    this.#generation++;
    this.#cache.clear();
    this.#pending.clear();
  }

  get size(): number {
    return this.#cache.size;
  }
}
