import pLimit from 'p-limit';
import { AppError } from '../errors.ts';

export interface WorkLimiter {
  /** Runs `work` when a slot is free; refuses at once with `server_busy` when the queue is full. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Started and not finished. */
  readonly active: number;
  /** Admitted and waiting for a slot. */
  readonly queued: number;
}

/**
 * Bounds expensive CPU work (password hashing) per process: at most `concurrency` at once and
 * `maxQueued` waiting. Anything beyond is shed rather than queued, so a flood costs the attacker
 * a fast 503 and leaves the event loop, the thread pool and everyone else's latency alone.
 */
export function createWorkLimiter(options: { concurrency: number; maxQueued: number }): WorkLimiter {
  const limit = pLimit(options.concurrency);
  return {
    run(work) {
      if (limit.activeCount + limit.pendingCount >= options.concurrency + options.maxQueued) {
        return Promise.reject(new AppError('server_busy', 'The hub is busy right now; retry in a moment'));
      }
      return limit(work);
    },
    get active() {
      return limit.activeCount;
    },
    get queued() {
      return limit.pendingCount;
    },
  };
}
