import { z } from 'zod';
import { deliverLeased } from '../../modules/webhooks/delivery/deliver.ts';
import { defineTask } from '../task.ts';

/** Sends one batch of deliveries leased by the pump (see modules/webhooks/delivery/pump.ts). */
export const deliverWebhooks = defineTask({
  payload: z.object({
    delivery_ids: z.array(z.string()).min(1).max(1000),
    lease_token: z.uuid(),
  }),
  async run(payload, deps) {
    await deliverLeased(deps, payload.delivery_ids, payload.lease_token);
  },
});
