import { defineEntity, p } from '@mikro-orm/core';
import { WEBHOOK_ATTEMPT_TRIGGERS } from '../../../shared/statuses.ts';
import { idProperty } from '../../db/columns.ts';
import { WebhookDelivery } from './webhook-delivery.entity.ts';

/** Append-only: one row per HTTP try of a delivery. */
export const WebhookAttemptSchema = defineEntity({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempts',
  properties: {
    id: idProperty('webhookAttempt'),
    delivery: () => p.manyToOne(WebhookDelivery).deleteRule('cascade'),
    trigger: p.enum(WEBHOOK_ATTEMPT_TRIGGERS),
    startedAt: p.datetime(),
    durationMs: p.integer(),
    /**
     * The request's headers as sent (signatures included, so a receiver's check can be
     * replayed by hand); a destination's custom headers by name only, as they are sealed
     * secrets. Null for attempts logged before headers were kept.
     */
    requestHeaders: p.json<Record<string, string>>().nullable(),
    responseStatus: p.integer().nullable(),
    /** At most 4 KiB of the response body. */
    responseBody: p.text().nullable(),
    error: p.text().nullable(),
  },
  indexes: [{ properties: ['delivery', 'id'] }],
});

export class WebhookAttempt extends WebhookAttemptSchema.class {}
WebhookAttemptSchema.setClass(WebhookAttempt);
