import { TokenCreatedSchema, TokenRotateSchema } from '../../../../shared/schemas/credentials.ts';
import { toTokenCreatedView } from '../../../modules/partners/partner-token-view.ts';
import {
  assertMayManageTokens,
  DEFAULT_TOKEN_GRACE_SECONDS,
  rotatePartnerToken,
} from '../../../modules/partners/partner-tokens.service.ts';
import { idempotent } from '../../idempotency.ts';
import { partnerProcedure } from '../../trpc.ts';

export const rotate = partnerProcedure
  .input(TokenRotateSchema.optional().transform((i) => i ?? {}))
  .output(TokenCreatedSchema)
  .mutation(async ({ ctx, input, path }) => {
    // Before the replay too: a superseded token must not read the answer that replaced it.
    await assertMayManageTokens(ctx.em, ctx.deps.clock, ctx.actor);
    return idempotent(ctx, path, input, async () => {
      const grace = input.grace_period_seconds ?? DEFAULT_TOKEN_GRACE_SECONDS;
      return toTokenCreatedView(
        await rotatePartnerToken(
          ctx.em,
          ctx.deps.clock,
          ctx.partner,
          ctx.actor,
          grace,
          ctx.deps.config.maxLiveTokensPerPartner,
        ),
      );
    });
  });
