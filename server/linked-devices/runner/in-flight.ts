import { within } from '../../deadline.ts';

/**
 * Work a runner started and has not seen settle (rounds, sessions being opened, commands), so
 * `stop()` can let it finish before the hub closes its pool: work still running then would write
 * into a closing pool, and a write holding one connection while it waits for another would keep
 * the pool from ever closing.
 */
export class InFlight {
  readonly #work = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.#work.add(work);
    void work.then(
      () => this.#work.delete(work),
      () => this.#work.delete(work),
    );
    return work;
  }

  /** Waits for everything tracked, including what it starts meanwhile, for at most `ms`; how many are left. */
  async settle(ms: number): Promise<number> {
    const by = Date.now() + ms;
    while (this.#work.size > 0 && Date.now() < by) {
      await within(Promise.allSettled([...this.#work]), by - Date.now(), () => undefined);
    }
    return this.#work.size;
  }
}
