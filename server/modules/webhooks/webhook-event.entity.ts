import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Channel } from '../channels/channel.entity.ts';
import { Partner } from '../partners/partner.entity.ts';

/**
 * Something that happened, recorded once; its id is the Standard Webhooks `webhook-id`.
 * `body` is exactly what every destination receives (and what is signed): text, not jsonb,
 * because Meta's payloads may carry `\u0000` and lone surrogates that jsonb refuses.
 */
export const WebhookEventSchema = defineEntity({
  name: 'WebhookEvent',
  tableName: 'webhook_events',
  properties: {
    id: idProperty('webhookEvent'),
    partner: () => p.manyToOne(Partner),
    channel: () => p.manyToOne(Channel).nullable(),
    type: p.string().length(100),
    body: p.text(),
    /** The W3C `traceparent` of the request that recorded it, when tracing is on: deliveries continue that trace. */
    traceParent: p.string().length(55).nullable(),
    createdAt: createdAtProperty(),
  },
  indexes: [
    { properties: ['partner', 'id'] },
    { properties: ['partner', 'type', 'id'] },
    { properties: ['createdAt'] },
  ],
});

export class WebhookEvent extends WebhookEventSchema.class {}
WebhookEventSchema.setClass(WebhookEvent);
