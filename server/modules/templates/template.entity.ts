import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';

/**
 * The hub's cache of a WABA's message templates, as Graph lists them (templates.service.ts):
 * refreshed from Graph when stale or asked, and kept current between refreshes by Meta's
 * template webhooks (template-webhooks.ts). Partners read it across every WABA they hold a
 * channel of; the WABA, not a partner, owns a row.
 */
export const TemplateSchema = defineEntity({
  name: 'Template',
  tableName: 'templates',
  properties: {
    id: idProperty('template'),
    wabaId: p.string().length(64),
    /** Meta's message template id. */
    templateId: p.string().length(64),
    name: p.string().length(512),
    language: p.string().length(16),
    /** APPROVED, PENDING, REJECTED, PAUSED, DISABLED, … */
    status: p.string().length(32),
    /** MARKETING, UTILITY or AUTHENTICATION. */
    category: p.string().length(32),
    components: p.json<unknown[]>(),
    /** Meta's quality score (GREEN, YELLOW, RED, UNKNOWN), when it has one. */
    qualityScore: p.string().length(32).nullable(),
    rejectedReason: p.string().length(200).nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  uniques: [{ properties: ['wabaId', 'templateId'] }],
  // The partner list walks its WABAs' rows newest first from the cursor; the webhooks find a row by name.
  indexes: [{ properties: ['wabaId', 'id'] }, { properties: ['wabaId', 'name', 'language'] }],
});

export class Template extends TemplateSchema.class {}
TemplateSchema.setClass(Template);
