import { TokenCreatedSchema, TokenRotateSchema } from '../../../../shared/schemas/credentials.ts';
import {
  DEFAULT_TOKEN_GRACE_SECONDS,
  rotatePartnerToken,
} from '../../../modules/partners/partner-tokens.service.ts';
import { idempotent } from '../../idempotency.ts';
import { partnerProcedure } from '../../trpc.ts';

export const rotate = partnerProcedure
  .input(TokenRotateSchema.optional().transform((i) => i ?? {}))
  .output(TokenCreatedSchema)
  .mutation(({ ctx, input, path }) =>
    idempotent(ctx, path, input, async () => {
      const grace = input.grace_period_seconds ?? DEFAULT_TOKEN_GRACE_SECONDS;
      const issued = await rotatePartnerToken(ctx.em, ctx.deps.clock, ctx.partner, ctx.actor, grace);
      return {
        id: issued.record.id,
        token: issued.token,
        last4: issued.record.last4,
        created_at: issued.record.createdAt.toISOString(),
        previous_tokens_expire_at: issued.previousTokensExpireAt!.toISOString(),
      };
    }),
  );
