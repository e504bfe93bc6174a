import { PgNotifications } from '../../../db/pg-notifications.ts';
import type { Logger } from '../../../logger.ts';

/** The channel a producer notifies, with the destination's id, when it left new work to a running runner. */
export const RUNNER_WAKEUP_CHANNEL = 'webhook_runner';

/**
 * One LISTEN connection per worker process, for runners waiting out their idle grace: a
 * producer that records work for a destination whose runner holds the role adds no job and
 * notifies instead (see `recordEvents`), and the runner looks at once. A hint only: a runner
 * also looks every `IdleGrace.fallbackMs`, and gives its role up only under the runner lock after
 * a last look (`releaseRunner`), so a notification lost with the connection costs latency, never
 * an event. Reconnects by itself.
 */
export class RunnerWakeups extends PgNotifications {
  constructor(databaseUrl: string, logger: Logger) {
    super(databaseUrl, RUNNER_WAKEUP_CHANNEL, logger);
  }
}
