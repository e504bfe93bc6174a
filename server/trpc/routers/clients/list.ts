import { ClientListQuerySchema, ClientPageSchema } from '../../../../shared/schemas/client.ts';
import { toClientView } from '../../../modules/clients/client-view.ts';
import { listClientsOfPartner } from '../../../modules/clients/clients.service.ts';
import { partnerProcedure } from '../../trpc.ts';

export const list = partnerProcedure
  .input(ClientListQuerySchema.optional().transform((q) => ClientListQuerySchema.parse(q ?? {})))
  .output(ClientPageSchema)
  .query(async ({ ctx, input }) => {
    const page = await listClientsOfPartner(ctx.em, ctx.partner, input);
    return { clients: page.items.map(toClientView), next_cursor: page.nextCursor };
  });
