import { z } from 'zod';
import { sendHeartbeats } from '../../modules/coexistence/heartbeat.service.ts';
import { defineTask } from '../task.ts';

/** Hourly: reminds partners of coexistence numbers whose WhatsApp Business app has been quiet too long. */
export const sendHeartbeatsTask = defineTask({
  payload: z.object({}).loose(),
  async run(_payload, { em, clock, logger }) {
    const sent = await sendHeartbeats(em, clock);
    if (sent > 0) logger.info({ sent }, 'sent coexistence heartbeat reminders');
  },
});
