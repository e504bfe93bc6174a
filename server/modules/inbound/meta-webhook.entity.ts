import { defineEntity, p } from '@mikro-orm/core';
import { idProperty } from '../../db/columns.ts';

/**
 * Every signed webhook Meta sent us, kept as received (for replay and support) until pruned.
 * `routedAt` null with an `error` means routing failed and the payload awaits a fix.
 */
export const MetaWebhookSchema = defineEntity({
  name: 'MetaWebhook',
  tableName: 'meta_webhooks',
  properties: {
    id: idProperty('metaWebhook'),
    receivedAt: p.datetime(),
    payload: p.json<Record<string, unknown>>(),
    routedAt: p.datetime().nullable(),
    error: p.text().nullable(),
  },
  indexes: [{ properties: ['receivedAt'] }],
});

export class MetaWebhook extends MetaWebhookSchema.class {}
MetaWebhookSchema.setClass(MetaWebhook);
