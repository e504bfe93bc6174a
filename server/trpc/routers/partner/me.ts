import { PartnerViewSchema } from '../../../../shared/schemas/partner.ts';
import { partnerViewOf } from '../../../modules/partners/partner-view.ts';
import { partnerProcedure } from '../../trpc.ts';

export const me = partnerProcedure.output(PartnerViewSchema).query(({ ctx }) => partnerViewOf(ctx.partner));
