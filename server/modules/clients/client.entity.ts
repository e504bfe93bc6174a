import { defineEntity, p } from '@mikro-orm/core';
import { CLIENT_STATUSES } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Partner } from '../partners/partner.entity.ts';

export const ClientSchema = defineEntity({
  name: 'Client',
  tableName: 'clients',
  properties: {
    id: idProperty('client'),
    /** The partner the client signed up through. */
    partner: () => p.manyToOne(Partner),
    name: p.string().length(200).nullable(),
    /** The partner's own id for this client (an onboarding session's `tenant_id`). */
    externalId: p.string().length(200).nullable(),
    /** Free text the partner attaches (`partner` URL parameter, 360dialog's `partner_payload`). */
    partnerPayload: p.text().nullable(),
    status: p.enum(CLIENT_STATUSES).onCreate(() => 'active' as const),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  uniques: [{ properties: ['partner', 'externalId'] }],
  indexes: [
    { properties: ['partner', 'id'] },
    { properties: ['partner', 'status', 'id'] },
    // `?created_after=`/`?created_before=`: the matching ids come from this index alone (see clients.service.ts).
    { properties: ['partner', 'createdAt', 'id'] },
  ],
});

export class Client extends ClientSchema.class {}
ClientSchema.setClass(Client);
