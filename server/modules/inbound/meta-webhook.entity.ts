import { defineEntity, p } from '@mikro-orm/core';
import { idProperty } from '../../db/columns.ts';

/**
 * Every signed webhook Meta sent us, byte for byte (for replay and support) until pruned.
 * `bodySha256` recognises Meta's retries of a payload already stored, so they route nothing
 * twice. `routedAt` null with an `error` means routing failed and the payload awaits a fix, or
 * (`unmatched: …`) that nobody held its WABA or number yet: `meta replay` routes it later.
 */
export const MetaWebhookSchema = defineEntity({
  name: 'MetaWebhook',
  tableName: 'meta_webhooks',
  properties: {
    id: idProperty('metaWebhook'),
    receivedAt: p.datetime(),
    body: p.blob(),
    /** Null only for duplicates stored before deduplication existed. */
    bodySha256: p.blob().nullable().unique(),
    routedAt: p.datetime().nullable(),
    error: p.text().nullable(),
  },
  indexes: [{ properties: ['receivedAt'] }],
});

export class MetaWebhook extends MetaWebhookSchema.class {}
MetaWebhookSchema.setClass(MetaWebhook);
