import { z } from 'zod';
import {
  BalanceQuerySchema,
  BalanceViewSchema,
  BillingViewSchema,
  StatementListQuerySchema,
  StatementPageSchema,
  StatementViewSchema,
} from '../../../shared/schemas/billing.ts';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { clientBalance } from '../../modules/billing/balance.service.ts';
import { priceListInForce, toPriceListView } from '../../modules/billing/price-lists.service.ts';
import { getStatement, listStatements } from '../../modules/billing/statement-read.service.ts';
import { toStatementView } from '../../modules/billing/statements.service.ts';
import { termsInForce, toTermsView } from '../../modules/billing/terms.service.ts';
import { getClientOfPartner } from '../../modules/clients/clients.service.ts';
import { defineOperation } from '../operation.ts';
import { ClientPath, PartnerPath } from './params.ts';

const StatementPath = PartnerPath.extend({
  statement_id: safeString().max(64).meta({ description: 'Statement id' }),
});

export const billingOperations = {
  get: defineOperation({
    operationId: 'getBilling',
    method: 'get',
    path: '/partners/:partner_id/billing',
    tag: 'Billing',
    summary: 'Your payment model, and the terms and price list in force',
    description: 'The operator sets the payment model and publishes terms and prices (docs/billing.md).',
    params: PartnerPath,
    query: z.object({}).strict(),
    response: BillingViewSchema,
    status: 200,
    errors: [],
    handle: async (_input, { em, deps, partnerRow }) => {
      const now = deps.clock.now();
      const [terms, list] = await Promise.all([termsInForce(em, now), priceListInForce(em.fork(), now)]);
      return {
        payment_model: partnerRow.paymentModel,
        terms: terms && toTermsView(terms),
        price_list: list && toPriceListView(list),
      };
    },
  }),
  statements: {
    list: defineOperation({
      operationId: 'listStatements',
      method: 'get',
      path: '/partners/:partner_id/statements',
      tag: 'Billing',
      summary: 'Monthly statements, newest first: yours (Partner Payment) and your direct-paid clients’',
      description: 'Keyset-paginated. Filter by `client_id` or `period` (YYYY-MM).',
      params: PartnerPath,
      query: StatementListQuerySchema,
      response: StatementPageSchema,
      status: 200,
      errors: [],
      handle: async ({ query }, { em, partner }) => {
        const page = await listStatements(em, partner, query);
        return { statements: page.items.map(toStatementView), next_cursor: page.nextCursor };
      },
    }),
    get: defineOperation({
      operationId: 'getStatement',
      method: 'get',
      path: '/partners/:partner_id/statements/:statement_id',
      tag: 'Billing',
      summary: 'One statement with its priced lines',
      params: StatementPath,
      response: StatementViewSchema,
      status: 200,
      errors: ['not_found'],
      handle: async ({ params }, { em, partner }) =>
        toStatementView(await getStatement(em, partner, params.statement_id)),
    }),
  },
  balance: defineOperation({
    operationId: 'getClientBalance',
    method: 'get',
    path: '/partners/:partner_id/clients/:client_id/info/balance',
    tag: 'Billing',
    summary: "A client's usage priced per day or month, and what it owes (360dialog's balance)",
    description:
      'Billable messages are priced with the price list in force each day. `balance` is minus the issued, unpaid statements of a direct-paid client. At most 366 days.',
    params: ClientPath,
    query: BalanceQuerySchema,
    response: BalanceViewSchema,
    status: 200,
    errors: ['not_found'],
    handle: async ({ params, query }, { em, deps, partner }) =>
      clientBalance(em, deps.clock, await getClientOfPartner(em, partner, params.client_id), query),
  }),
};
