import type { Hub } from '../hub.ts';
import { markTokenRefused } from '../modules/messaging/messaging.service.ts';

/**
 * Records, after the answer and without failing it, that Meta refused a channel's token (the
 * channel's health shows it until a call succeeds again).
 */
export function tokenRefusedRecorder(hub: Hub): (channelId: string) => void {
  return (channelId) => {
    markTokenRefused(hub.orm.em.fork(), hub.clock, channelId).catch((err) =>
      hub.logger.warn({ err, channelId }, 'could not record the refused Meta token'),
    );
  };
}
