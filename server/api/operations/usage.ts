import { UsageQuerySchema, UsageReportSchema } from '../../../shared/schemas/usage.ts';
import { usageCsv, usageReport } from '../../modules/usage/usage.service.ts';
import { defineOperation } from '../operation.ts';
import { PartnerPath } from './params.ts';

export const usageOperations = {
  report: defineOperation({
    operationId: 'getUsage',
    method: 'get',
    path: '/partners/:partner_id/usage',
    tag: 'Usage',
    summary: 'Messages per channel and UTC day, by direction and Meta pricing (the usage ledger)',
    description:
      'Counted from the `pricing` object of the status webhooks Meta sends for outgoing messages (each message once, at its first priced status), and from inbound messages (`service`, not billable), while the partner held the channel. At most 366 days per query (`from` ≤ `to`). Send `Accept: text/csv` for CSV (REST).',
    params: PartnerPath,
    query: UsageQuerySchema,
    response: UsageReportSchema,
    status: 200,
    errors: [],
    handle: ({ query }, { em, deps, partner }) => usageReport(em, deps.clock, partner.id, query),
    csv: usageCsv,
  }),
};
