import { PartnerUpdateSchema, PartnerViewSchema } from '../../../../shared/schemas/partner.ts';
import { updatePartnerSettings } from '../../../modules/partners/partner-settings.service.ts';
import { partnerProcedure } from '../../trpc.ts';

export const update = partnerProcedure
  .input(PartnerUpdateSchema)
  .output(PartnerViewSchema)
  .mutation(({ ctx, input }) =>
    updatePartnerSettings(
      ctx.em,
      { clock: ctx.deps.clock, urlPolicy: ctx.deps.urlPolicy },
      ctx.partner,
      input,
      ctx.actor,
    ),
  );
