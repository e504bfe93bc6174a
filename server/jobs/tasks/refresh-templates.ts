import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { refreshWaba } from '../../modules/templates/templates.service.ts';
import { defineTask } from '../task.ts';

/**
 * Refreshes a WABA's template cache from Graph (added when a partner lists a stale cache, see
 * templates.service.ts). A failure is recorded on the WABA's sync row and backs off 5 minutes;
 * the job itself is not retried.
 */
export const refreshTemplatesTask = defineTask({
  payload: z.object({ waba_id: safeString().min(1).max(64) }),
  async run(payload, { em, graph, secretBox, clock, logger }) {
    const outcome = await refreshWaba(em, { graph, secretBox, clock }, payload.waba_id);
    if (!outcome.ok)
      logger.warn({ waba_id: payload.waba_id, error: outcome.error }, 'could not refresh the template cache');
  },
});
