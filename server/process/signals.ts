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
  const handler = (signal: NodeJS.Signals) => {
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
}
