import { ClientViewSchema } from '../../../../shared/schemas/client.ts';
import { toClientView } from '../../../modules/clients/client-view.ts';
import { updateClientPartnerPayload } from '../../../modules/clients/clients.service.ts';
import { partnerProcedure } from '../../trpc.ts';
import { ClientUpdateInput } from './inputs.ts';

export const update = partnerProcedure
  .input(ClientUpdateInput)
  .output(ClientViewSchema)
  .mutation(async ({ ctx, input }) =>
    toClientView(
      await updateClientPartnerPayload(
        ctx.em,
        ctx.partner,
        input.client_id,
        input.partner_payload,
        ctx.actor,
      ),
    ),
  );
