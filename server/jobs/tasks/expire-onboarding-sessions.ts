import { z } from 'zod';
import { expireDueSessions } from '../../modules/onboarding/onboarding-sessions.service.ts';
import { defineTask } from '../task.ts';

/** Every minute: sessions past `expires_at` become `expired` (with their event) even if nobody opened them. */
export const expireOnboardingSessions = defineTask({
  payload: z.object({}).loose(),
  async run(_payload, { em, clock, logger }) {
    const expired = await expireDueSessions(em, clock);
    if (expired > 0) logger.info({ expired }, 'expired onboarding sessions');
  },
});
