import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { NextCursorSchema, PaginationQuerySchema, TimestampSchema } from './common.ts';
import { safeString } from './safe-text.ts';

/** A vocabulary value of Meta's (APPROVED, MARKETING, …); matched without regard to case. */
const vocabulary = (description: string) =>
  safeString()
    .regex(/^[A-Za-z_]{1,32}$/, 'must be a value such as APPROVED or MARKETING')
    .optional()
    .meta({ description });

export const TemplateListQuerySchema = PaginationQuerySchema.extend({
  name: safeString()
    .regex(/^[a-z0-9_]{1,512}$/, 'a template name: lowercase letters, digits and _')
    .optional()
    .meta({ description: 'Exactly this template name' }),
  name_prefix: safeString()
    .regex(/^[a-z0-9_]{1,512}$/, 'the start of a template name: lowercase letters, digits and _')
    .optional()
    .meta({ description: 'Template names starting with this' }),
  status: vocabulary('APPROVED, PENDING, REJECTED, PAUSED, DISABLED, …'),
  category: vocabulary('MARKETING, UTILITY or AUTHENTICATION'),
  language: safeString()
    .regex(/^[A-Za-z_]{2,16}$/, 'must be a language code such as en_US')
    .optional()
    .meta({ description: 'A language code as Meta writes it, e.g. `en_US`' }),
  channel_id: safeString()
    .max(64)
    .optional()
    .meta({ description: "Only the templates of this channel's WABA" }),
}).strict();

export type TemplateListQuery = z.infer<typeof TemplateListQuerySchema>;

export const TemplateViewSchema = z
  .object({
    id: idSchema('template').meta({ description: "The hub's id of the cached template (the paging key)" }),
    template_id: safeString().meta({ description: "Meta's message template id" }),
    waba_id: safeString(),
    channel_ids: z
      .array(idSchema('channel'))
      .meta({ description: 'Your channels on this WABA: each of them can send the template' }),
    name: safeString(),
    language: safeString(),
    status: safeString().meta({ description: "Meta's review status: APPROVED, PENDING, REJECTED, …" }),
    category: safeString(),
    components: z.array(z.unknown()),
    quality_score: safeString().nullable(),
    rejected_reason: safeString().nullable(),
    updated_at: TimestampSchema,
  })
  .meta({ id: 'Template' });

export type TemplateView = z.infer<typeof TemplateViewSchema>;

export const TemplateSyncViewSchema = z
  .object({
    waba_id: safeString(),
    synced_at: TimestampSchema.nullable().meta({
      description: 'When the cache last matched Meta (null: never)',
    }),
    last_error: safeString()
      .nullable()
      .meta({ description: 'Why the last refresh failed (null: it did not)' }),
    next_attempt_at: TimestampSchema.nullable().meta({
      description: 'After a failure: the earliest automatic retry',
    }),
  })
  .meta({ id: 'TemplateSync' });

export const TemplatePageSchema = z
  .object({
    templates: z.array(TemplateViewSchema),
    next_cursor: NextCursorSchema,
    syncs: z
      .array(TemplateSyncViewSchema)
      .meta({ description: 'How fresh the cache of each listed WABA is' }),
  })
  .meta({ id: 'TemplatePage' });

export const TemplateRefreshBodySchema = z
  .object({
    channel_id: safeString()
      .max(64)
      .optional()
      .meta({ description: "Only this channel's WABA (default: every WABA you hold a channel of)" }),
  })
  .strict()
  .meta({ id: 'TemplateRefreshRequest' });

export const TemplateRefreshResultSchema = z
  .object({
    results: z.array(
      z.object({
        waba_id: safeString(),
        channel_ids: z.array(idSchema('channel')),
        ok: z.boolean(),
        templates: z
          .number()
          .int()
          .nullable()
          .meta({ description: 'Templates Meta holds for the WABA (null when the refresh failed)' }),
        error: safeString().nullable(),
        synced_at: TimestampSchema.nullable(),
      }),
    ),
  })
  .meta({ id: 'TemplateRefreshResult' });

export type TemplateRefreshResult = z.infer<typeof TemplateRefreshResultSchema>;
