import { within } from '../deadline.ts';
import type { Logger } from '../logger.ts';

/** How long one step of closing the hub may take before the next one goes ahead. */
export const CLOSE_STEP_DEADLINE_MS = 10_000;

/**
 * Runs one step of closing the hub, bounded: a step that has not settled within the deadline
 * (a pool waiting for a connection that never comes back after the database went away, say) is
 * logged by name and left behind, so a shutdown always finishes and says what it could not
 * close. A step that fails is logged too; the others still run.
 */
export async function closeStep(
  logger: Logger,
  name: string,
  step: () => Promise<unknown>,
  deadlineMs = CLOSE_STEP_DEADLINE_MS,
): Promise<void> {
  try {
    const outcome = await within(
      step().then(() => 'closed' as const),
      deadlineMs,
      () => 'overran' as const,
    );
    if (outcome === 'overran')
      logger.error({ step: name, deadlineMs }, `closing: ${name} did not finish in time; going on`);
  } catch (err) {
    logger.error({ err, step: name }, `closing: ${name} failed; going on`);
  }
}
