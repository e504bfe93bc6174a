import { z } from 'zod';
import { safeString } from '../../../../shared/schemas/safe-text.ts';
import { revokeChannelApiKey } from '../../../modules/api-keys/api-keys.service.ts';
import { partnerProcedure } from '../../trpc.ts';

export const revoke = partnerProcedure
  .input(z.strictObject({ channel_id: safeString().max(64), key_id: safeString().max(64) }))
  .mutation(async ({ ctx, input }) => {
    await revokeChannelApiKey(ctx.em, ctx.deps.clock, ctx.partner, input.channel_id, input.key_id, ctx.actor);
  });
