import type { Logger } from '../logger.ts';

/** npm and `node --watch` forward the signal a terminal already sent: copies arrive within milliseconds. */
const DUPLICATE_WINDOW_MS = 2000;

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0 (1 if stopping failed).
 * Copies of the signal forwarded by supervisors are ignored; a signal repeated later,
 * by an operator who really means it, exits at once.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let firstSignalAt: number | undefined;
  const handler = (signal: NodeJS.Signals | 'parent exited') => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < DUPLICATE_WINDOW_MS) return;
      logger.warn({ signal }, 'signal repeated while shutting down: exiting now');
      logger.flush();
      process.exit(1);
    }
    firstSignalAt = Date.now();
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => {
        logger.flush();
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  stopWithParent(() => handler('parent exited'));
}

const PARENT_CHECK_MS = 250;

/**
 * Under npm (`npm start`, `npm run hub -- serve`), a SIGTERM sent to npm ends npm without
 * reaching the hub, which would serve on as an orphan. Started by npm, the hub watches its
 * parent and stops as on SIGTERM when it is gone: it never outlives the command that started it.
 * Started directly (`node server/main.ts`, systemd, a container) nothing changes.
 */
export function stopWithParent(stop: () => void, env: NodeJS.ProcessEnv = process.env): void {
  if (!env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, PARENT_CHECK_MS);
  timer.unref();
}

/**
 * Starts something long-running and stops it on SIGTERM or SIGINT (see `stopOnSignals`),
 * including a signal that arrives while it is still starting, e.g. waiting for the database:
 * the start is aborted through `signal`, whatever did start is stopped, and the exit is 0.
 * Resolves with what started, or undefined when a signal ended the start; start errors reject.
 */
export async function runUntilSignal<T extends { stop(): Promise<void> }>(
  start: (signal: AbortSignal) => Promise<T>,
  logger: Logger,
): Promise<T | undefined> {
  const starting = new AbortController();
  const started = start(starting.signal);
  stopOnSignals(async () => {
    starting.abort();
    const running = await started.catch(() => undefined);
    await running?.stop();
  }, logger);
  try {
    return await started;
  } catch (err) {
    if (starting.signal.aborted) return undefined;
    throw err;
  }
}
