import { ClientViewSchema } from '../../../../shared/schemas/client.ts';
import { toClientView } from '../../../modules/clients/client-view.ts';
import { getClientOfPartner } from '../../../modules/clients/clients.service.ts';
import { partnerProcedure } from '../../trpc.ts';
import { ClientIdInput } from './inputs.ts';

export const get = partnerProcedure
  .input(ClientIdInput)
  .output(ClientViewSchema)
  .query(async ({ ctx, input }) =>
    toClientView(await getClientOfPartner(ctx.em, ctx.partner, input.client_id)),
  );
