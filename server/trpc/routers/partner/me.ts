import { PartnerViewSchema } from '../../../../shared/schemas/partner.ts';
import { toPartnerView } from '../../../modules/partners/partner-view.ts';
import { partnerProcedure } from '../../trpc.ts';

export const me = partnerProcedure.output(PartnerViewSchema).query(({ ctx }) => toPartnerView(ctx.partner));
