import { TokenListQuerySchema, TokenListSchema } from '../../../../shared/schemas/credentials.ts';
import { toTokenView } from '../../../modules/partners/partner-token-view.ts';
import { listPartnerTokens } from '../../../modules/partners/partner-tokens.service.ts';
import { partnerProcedure } from '../../trpc.ts';

export const list = partnerProcedure
  .input(TokenListQuerySchema.optional().transform((q) => TokenListQuerySchema.parse(q ?? {})))
  .output(TokenListSchema)
  .query(async ({ ctx, input }) => {
    const page = await listPartnerTokens(ctx.em, ctx.deps.clock, ctx.partner, input);
    return { tokens: page.items.map(toTokenView), next_cursor: page.nextCursor };
  });
