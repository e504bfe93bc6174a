import { defineEntity, p } from '@mikro-orm/core';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_DESTINATIONS } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Partner } from '../partners/partner.entity.ts';
import { WebhookEndpoint } from './webhook-endpoint.entity.ts';
import { WebhookEvent } from './webhook-event.entity.ts';

/** One event bound for one destination, with its retry state. */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: idProperty('webhookDelivery'),
    event: () => p.manyToOne(WebhookEvent).deleteRule('cascade'),
    partner: () => p.manyToOne(Partner),
    destination: p.enum(WEBHOOK_DESTINATIONS),
    /** Set for `endpoint` deliveries; kept null if the endpoint is deleted later. */
    endpoint: () => p.manyToOne(WebhookEndpoint).nullable().deleteRule('set null'),
    /** The URL as it was when the event was recorded. */
    url: p.text(),
    status: p.enum(WEBHOOK_DELIVERY_STATUSES).onCreate(() => 'pending' as const),
    attemptCount: p.integer().onCreate(() => 0),
    nextAttemptAt: p.datetime().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    /** A worker's claim on an in-flight delivery; an expired lease means the worker died. */
    leaseExpiresAt: p.datetime().nullable(),
    /** Which claim holds the lease: a worker whose lease was taken over must not record over the new one. */
    leaseToken: p.string().length(36).nullable(),
    succeededAt: p.datetime().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  indexes: [
    { properties: ['partner', 'id'] },
    { properties: ['event'] },
    { name: 'webhook_deliveries_due_index', properties: ['nextAttemptAt'], where: "status = 'pending'" },
  ],
});

export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);
