import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Partner } from '../partners/partner.entity.ts';

/** An extra webhook destination of a partner, besides its primary `webhook_url`. */
export const WebhookEndpointSchema = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  properties: {
    id: idProperty('webhookEndpoint'),
    partner: () => p.manyToOne(Partner).deleteRule('cascade'),
    url: p.text(),
    description: p.string().length(200).nullable(),
    /** Event types this endpoint receives; null means all. */
    eventTypes: p.json<string[]>().nullable(),
    secretSealed: p.text().hidden(),
    previousSecretSealed: p.text().hidden().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    /** Set when deliveries started failing and no attempt has succeeded since. */
    failingSince: p.datetime().nullable(),
    disabledAt: p.datetime().nullable(),
    disabledReason: p.string().length(200).nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  indexes: [{ properties: ['partner', 'id'] }],
});

export class WebhookEndpoint extends WebhookEndpointSchema.class {}
WebhookEndpointSchema.setClass(WebhookEndpoint);
