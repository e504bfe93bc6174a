import { AuditListQuerySchema, AuditPageSchema } from '../../../shared/schemas/audit.ts';
import { listAuditEntries, toAuditEntryView } from '../../modules/audit/audit-read.service.ts';
import { defineOperation } from '../operation.ts';
import { PartnerPath } from './params.ts';

export const auditOperations = {
  list: defineOperation({
    operationId: 'listAuditEntries',
    method: 'get',
    path: '/partners/:partner_id/audit_log',
    tag: 'Audit',
    summary: 'Your audit trail, newest first: secret reveals, keys, tokens, grants, endpoints',
    description:
      'Every entry names the credential that acted (`actor_type`, `actor_id`: the token or key id), so a ' +
      'reveal of channel secrets can be traced to the token that made it. Filter by `action` (or ' +
      '`action_prefix`), `actor_type`, `actor_id`, `target_id` and a time range. Addresses are shown only ' +
      'for your own tokens and keys.',
    params: PartnerPath,
    query: AuditListQuerySchema,
    response: AuditPageSchema,
    status: 200,
    errors: [],
    handle: async ({ query }, { em, partner }) => {
      const page = await listAuditEntries(em, partner, query);
      return { entries: page.items.map(toAuditEntryView), next_cursor: page.nextCursor };
    },
  }),
};
