import { PartnerUpdateSchema, PartnerViewSchema } from '../../../../shared/schemas/partner.ts';
import { updatePartnerSettings } from '../../../modules/partners/partner-settings.service.ts';
import { urlPolicyFor } from '../../../security/url-policy.ts';
import { partnerProcedure } from '../../trpc.ts';

export const update = partnerProcedure
  .input(PartnerUpdateSchema)
  .output(PartnerViewSchema)
  .mutation(({ ctx, input }) =>
    updatePartnerSettings(
      ctx.em,
      { clock: ctx.deps.clock, urlPolicy: urlPolicyFor(ctx.deps.config) },
      ctx.partner,
      input,
      ctx.actor,
    ),
  );
