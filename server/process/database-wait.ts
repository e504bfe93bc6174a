import { setTimeout as sleep } from 'node:timers/promises';
import type { HubConfig } from '../config/env.ts';
import { isDatabaseUnavailable, unavailableReason } from '../db/unavailable.ts';
import { type Hub, openHub } from '../hub.ts';
import type { Logger } from '../logger.ts';

/** Backoff between attempts: quick when PostgreSQL is merely starting, at most this far apart when it is down. */
export const DATABASE_WAIT_FIRST_DELAY_MS = 500;
export const DATABASE_WAIT_MAX_DELAY_MS = 5000;
/**
 * How long an aborted wait lets a running attempt finish, so what it opened (an embedded
 * server it started) is closed before the process exits; a hung connect is abandoned.
 */
export const DATABASE_WAIT_ABORT_GRACE_MS = 2000;

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Runs `attempt` until it succeeds, retrying with capped backoff while it fails only because
 * the database is unavailable (starting, recovering, restarting, unreachable): a process
 * started alongside its database comes up when the database does, instead of exiting.
 * Any other failure (wrong password, missing database) is rethrown at once.
 *
 * Aborting `signal` ends the wait promptly, even mid-attempt (a connect can hang for minutes
 * on a dropped network): a result that arrives within a short grace goes to `discard`.
 */
export async function untilDatabaseAvailable<T>(
  attempt: () => Promise<T>,
  options: { logger: Logger; signal?: AbortSignal; discard?: (late: T) => Promise<void> },
): Promise<T> {
  const { logger, signal, discard } = options;
  for (let n = 1, delay = DATABASE_WAIT_FIRST_DELAY_MS; ; n++) {
    signal?.throwIfAborted();
    const running = attempt();
    try {
      return await abortable(running, signal);
    } catch (err) {
      if (signal?.aborted) {
        const cleanedUp = running.then((late) => discard?.(late)).catch(() => {});
        await Promise.race([cleanedUp, sleep(DATABASE_WAIT_ABORT_GRACE_MS, undefined, { ref: false })]);
        throw signal.reason;
      }
      if (!isDatabaseUnavailable(err)) throw err;
      logger.warn(
        { attempt: n, retryInMs: delay, reason: unavailableReason(err) },
        'database unavailable; waiting for it',
      );
    }
    await sleep(delay, undefined, { signal }).catch(() => signal?.throwIfAborted());
    delay = Math.min(delay * 2, DATABASE_WAIT_MAX_DELAY_MS);
  }
}

/**
 * Opens the hub and runs `prepare` on it (migrations, a first query), waiting for the
 * database as `untilDatabaseAvailable` does. A failed attempt closes what it opened.
 */
export function openHubWhenAvailable(
  config: HubConfig,
  logger: Logger,
  options: { signal?: AbortSignal; prepare: (hub: Hub) => Promise<void> },
): Promise<Hub> {
  const attempt = async () => {
    const hub = await openHub(config, logger);
    try {
      await options.prepare(hub);
      return hub;
    } catch (err) {
      // Closing talks to the database too (the embedded server's presence), which may be gone.
      await hub
        .close()
        .catch((closeErr) => logger.debug({ err: closeErr }, 'closing after a failed attempt'));
      throw err;
    }
  };
  return untilDatabaseAvailable(attempt, { logger, signal: options.signal, discard: (late) => late.close() });
}
