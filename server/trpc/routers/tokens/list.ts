import { TokenListSchema } from '../../../../shared/schemas/credentials.ts';
import { toTokenView } from '../../../modules/partners/partner-token-view.ts';
import { listPartnerTokens } from '../../../modules/partners/partner-tokens.service.ts';
import { partnerProcedure } from '../../trpc.ts';

export const list = partnerProcedure.output(TokenListSchema).query(async ({ ctx }) => ({
  tokens: (await listPartnerTokens(ctx.em, ctx.deps.clock, ctx.partner)).map(toTokenView),
}));
