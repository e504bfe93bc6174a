import { RevealedSecretsSchema, RevealSecretsBodySchema } from '../../../../shared/schemas/channel.ts';
import { safeString } from '../../../../shared/schemas/safe-text.ts';
import { revealChannelSecrets } from '../../../modules/channels/reveal-secrets.service.ts';
import { spendPartnerBudget } from '../../../modules/rate-limits/rate-limits.ts';
import { partnerProcedure } from '../../trpc.ts';

/** Same service as REST `reveal_secrets`: audited, hourly `reveal` budget, never cached. */
export const revealSecrets = partnerProcedure
  .input(RevealSecretsBodySchema.extend({ channel_id: safeString().max(64) }))
  .output(RevealedSecretsSchema)
  .mutation(async ({ ctx, input }) => {
    ctx.setHeaders({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const caller = { partnerId: ctx.partner.id, tokenId: ctx.actor.id ?? 'anonymous' };
    await spendPartnerBudget(ctx.deps.rateLimits, caller, 'reveal', ctx.setHeaders);
    return revealChannelSecrets(
      ctx.em,
      ctx.deps,
      ctx.partner,
      input.channel_id,
      input.secret_types,
      ctx.actor,
    );
  });
