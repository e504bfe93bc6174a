import {
  ClientListQuerySchema,
  ClientPageSchema,
  ClientUpdateSchema,
  ClientViewSchema,
} from '../../../shared/schemas/client.ts';
import { toClientView } from '../../modules/clients/client-view.ts';
import {
  getClientOfPartner,
  listClientsOfPartner,
  updateClientPartnerPayload,
} from '../../modules/clients/clients.service.ts';
import { defineOperation } from '../operation.ts';
import { ClientPath, PartnerPath } from './params.ts';

export const clientOperations = {
  list: defineOperation({
    operationId: 'listClients',
    method: 'get',
    path: '/partners/:partner_id/clients',
    tag: 'Clients',
    summary: 'List your clients, newest first',
    description: 'Keyset-paginated: pass `next_cursor` back as `cursor` until it is null.',
    params: PartnerPath,
    query: ClientListQuerySchema,
    response: ClientPageSchema,
    status: 200,
    errors: [],
    handle: async ({ query }, { em, partner }) => {
      const page = await listClientsOfPartner(em, partner, query);
      return { clients: page.items.map(toClientView), next_cursor: page.nextCursor };
    },
  }),
  get: defineOperation({
    operationId: 'getClient',
    method: 'get',
    path: '/partners/:partner_id/clients/:client_id',
    tag: 'Clients',
    summary: 'Get one client',
    params: ClientPath,
    response: ClientViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params }, { em, partner }) =>
      toClientView(await getClientOfPartner(em, partner, params.client_id)),
  }),
  update: defineOperation({
    operationId: 'updateClient',
    method: 'patch',
    path: '/partners/:partner_id/clients/:client_id',
    tag: 'Clients',
    summary: "Set a client's partner_payload",
    params: ClientPath,
    body: ClientUpdateSchema,
    response: ClientViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params, body }, { em, partner, actor }) =>
      toClientView(
        await updateClientPartnerPayload(em, partner, params.client_id, body.partner_payload, actor),
      ),
  }),
};
