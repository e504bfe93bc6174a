import {
  TemplateListQuerySchema,
  TemplatePageSchema,
  TemplateRefreshBodySchema,
  TemplateRefreshResultSchema,
} from '../../../shared/schemas/templates.ts';
import { listTemplatesOf, refreshTemplatesOf } from '../../modules/templates/templates.service.ts';
import { defineOperation } from '../operation.ts';
import { PartnerPath } from './params.ts';

const TAG = 'Templates';

/** The message templates of every WABA the partner holds a channel of: `templates.*` over tRPC. */
export const templateOperations = {
  list: defineOperation({
    operationId: 'listTemplates',
    method: 'get',
    path: '/partners/:partner_id/templates',
    tag: TAG,
    summary: 'List the message templates of every WABA you hold a channel of, newest first',
    description:
      "Read from the hub's template cache, which Meta's template webhooks keep current (a review " +
      'decision shows at once). A WABA whose cache is older than 15 minutes is refreshed from Graph ' +
      'in the background when listed (after a failure, not before 5 minutes); `syncs` says how fresh ' +
      'each WABA is, and `POST …/templates/refresh` refreshes now. Each template names your channels ' +
      'on its WABA (`channel_ids`).',
    params: PartnerPath,
    query: TemplateListQuerySchema,
    response: TemplatePageSchema,
    status: 200,
    errors: [],
    handle: ({ query }, { em, deps, partner }) => listTemplatesOf(em, deps.clock, partner.id, query),
  }),
  refresh: defineOperation({
    operationId: 'refreshTemplates',
    method: 'post',
    path: '/partners/:partner_id/templates/refresh',
    tag: TAG,
    summary: "Refresh the template cache of your channels' WABAs from Meta now",
    description:
      "Reads every page of each WABA's templates from Graph with your channel's token and makes the " +
      'cache match. Answers per WABA; a WABA that failed keeps its last cache and records `error`.',
    params: PartnerPath,
    body: TemplateRefreshBodySchema,
    response: TemplateRefreshResultSchema,
    status: 200,
    errors: [],
    handle: ({ body }, { em, deps, partner }) => refreshTemplatesOf(em, deps, partner.id, body.channel_id),
  }),
};
