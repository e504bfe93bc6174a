import { PartnerUpdateSchema, PartnerViewSchema } from '../../../shared/schemas/partner.ts';
import { updatePartnerSettings } from '../../modules/partners/partner-settings.service.ts';
import { partnerViewOf } from '../../modules/partners/partner-view.ts';
import { defineOperation } from '../operation.ts';
import { PartnerPath } from './params.ts';

export const partnerOperations = {
  me: defineOperation({
    operationId: 'getPartner',
    method: 'get',
    path: '/partners/:partner_id',
    tag: 'Partners',
    summary: 'Get your partner settings',
    params: PartnerPath,
    response: PartnerViewSchema,
    status: 200,
    errors: [],
    handle: async (_input, { partnerRow }) => partnerViewOf(partnerRow),
  }),
  update: defineOperation({
    operationId: 'updatePartner',
    method: 'patch',
    path: '/partners/:partner_id',
    tag: 'Partners',
    summary: 'Update your partner settings',
    description:
      'Only the fields sent change. URLs must be https (http to localhost only when the hub allows it). ' +
      '`allowed_redirect_urls` replaces the whole list; `partner_redirect_url` is always allowed as well.',
    params: PartnerPath,
    body: PartnerUpdateSchema,
    response: PartnerViewSchema,
    status: 200,
    errors: ['webhook_url_not_allowed'],
    handle: async ({ body }, { em, deps, partner, actor }) =>
      updatePartnerSettings(em, { clock: deps.clock, urlPolicy: deps.urlPolicy }, partner, body, actor),
  }),
};
