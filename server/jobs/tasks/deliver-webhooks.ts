import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { deliverDestination } from '../../modules/webhooks/delivery/deliver-destination.ts';
import { defineTask } from '../task.ts';

/** Sends what is due for one destination (see modules/webhooks/delivery/deliver-destination.ts). */
export const deliverWebhooks = defineTask({
  payload: z.object({ destination_id: safeString().min(1).max(64) }),
  async run(payload, deps, helpers) {
    await deliverDestination(
      { ...deps, abort: helpers.abortSignal, checkBackMs: deps.config.worker.deadAfterMs },
      payload.destination_id,
      helpers.job.id,
    );
  },
});
