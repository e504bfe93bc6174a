import { defineEntity, p } from '@mikro-orm/core';

/**
 * How fresh a WABA's template cache is: when it last matched Graph, and after a failed refresh
 * why, and when the background refresh may try again (a failure backs off 5 minutes).
 */
export const TemplateSyncSchema = defineEntity({
  name: 'TemplateSync',
  tableName: 'template_syncs',
  properties: {
    wabaId: p.string().length(64).primary(),
    /** The last refresh that succeeded; null until the first, or once a webhook showed the cache incomplete. */
    syncedAt: p.datetime().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    lastError: p.string().length(500).nullable(),
    /** Set by a failure: the background refresh waits until then. */
    nextAttemptAt: p.datetime().nullable(),
  },
});

export class TemplateSync extends TemplateSyncSchema.class {}
TemplateSyncSchema.setClass(TemplateSync);
