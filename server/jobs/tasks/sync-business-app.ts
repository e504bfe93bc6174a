import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { requestBusinessAppSync, SYNC_TYPES } from '../../modules/coexistence/business-app-sync.service.ts';
import { defineTask } from '../task.ts';

/** Asks Meta to sync a coexistence number's app contacts or chat history (see business-app-sync.service.ts). */
export const syncBusinessAppTask = defineTask({
  payload: z.object({ channel_id: safeString().min(1).max(64), sync_type: z.enum(SYNC_TYPES) }),
  async run(payload, { em, graph, secretBox, logger }) {
    const requestId = await requestBusinessAppSync(
      em,
      { graph, secretBox },
      payload.channel_id,
      payload.sync_type,
    );
    if (requestId)
      logger.info(
        { channel_id: payload.channel_id, sync_type: payload.sync_type, request_id: requestId },
        'asked Meta to sync the business app',
      );
  },
});
