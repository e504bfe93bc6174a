import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Channel } from '../channels/channel.entity.ts';
import { Partner } from '../partners/partner.entity.ts';

/** Something that happened, recorded once; its id is the Standard Webhooks `webhook-id`. */
export const WebhookEventSchema = defineEntity({
  name: 'WebhookEvent',
  tableName: 'webhook_events',
  properties: {
    id: idProperty('webhookEvent'),
    partner: () => p.manyToOne(Partner),
    channel: () => p.manyToOne(Channel).nullable(),
    type: p.string().length(100),
    data: p.json<Record<string, unknown>>(),
    createdAt: createdAtProperty(),
  },
  indexes: [{ properties: ['partner', 'id'] }, { properties: ['partner', 'type', 'id'] }],
});

export class WebhookEvent extends WebhookEventSchema.class {}
WebhookEventSchema.setClass(WebhookEvent);
