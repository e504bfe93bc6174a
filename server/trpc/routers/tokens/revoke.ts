import { z } from 'zod';
import { safeString } from '../../../../shared/schemas/safe-text.ts';
import { revokePartnerToken } from '../../../modules/partners/partner-tokens.service.ts';
import { partnerProcedure } from '../../trpc.ts';

export const revoke = partnerProcedure
  .input(z.strictObject({ token_id: safeString().max(64) }))
  .mutation(async ({ ctx, input }) => {
    await revokePartnerToken(ctx.em, ctx.deps.clock, ctx.partner, input.token_id, ctx.actor);
  });
