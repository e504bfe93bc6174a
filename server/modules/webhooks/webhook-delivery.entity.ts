import { defineEntity, p } from '@mikro-orm/core';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_DESTINATIONS } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Partner } from '../partners/partner.entity.ts';
import { WebhookDestination } from './webhook-destination.entity.ts';
import { WebhookEvent } from './webhook-event.entity.ts';

/**
 * One event bound for one destination, with its retry state. The schedule itself lives in
 * graphile-worker: a `deliver_webhooks` job per destination runs when the next delivery is due.
 */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: idProperty('webhookDelivery'),
    event: () => p.manyToOne(WebhookEvent).deleteRule('cascade'),
    /** The event's type, copied on insert so `?event_type=` is one `(partner_id, event_type, id)` index scan. */
    eventType: p.string().length(100),
    partner: () => p.manyToOne(Partner),
    /** Null once the destination is deleted; the delivery is then failed and kept for the log. */
    destination: () => p.manyToOne(WebhookDestination).nullable().deleteRule('set null'),
    /** The destination's kind, kept for the log after the destination is gone. */
    kind: p.enum(WEBHOOK_DESTINATIONS),
    /** The URL of the last attempt (at first, the destination's URL when the event was recorded). */
    url: p.text(),
    status: p.enum(WEBHOOK_DELIVERY_STATUSES).onCreate(() => 'pending' as const),
    attemptCount: p.integer().onCreate(() => 0),
    nextAttemptAt: p.datetime().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    succeededAt: p.datetime().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  indexes: [
    { properties: ['partner', 'id'] },
    { properties: ['partner', 'eventType', 'id'] },
    // `?endpoint_id=wep_…` (a destination is one partner's), and the `set null` when one is deleted.
    { properties: ['destination', 'id'] },
    { properties: ['event'] },
    {
      name: 'webhook_deliveries_due_index',
      properties: ['destination', 'nextAttemptAt', 'id'],
      where: "status = 'pending'",
    },
    { properties: ['createdAt'] },
  ],
});

export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);
