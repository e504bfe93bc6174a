/**
 * The timers of one emulated connection, so that closing it stops every one of them: nothing
 * fires for a connection its caller has closed.
 */
export class TimerSet {
  readonly #timers = new Set<NodeJS.Timeout>();

  later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout | null): void {
    if (!timer) return;
    clearTimeout(timer);
    this.#timers.delete(timer);
  }

  stopAll(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
