import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { safeString } from './safe-text.ts';

/** The longest range one usage query covers. */
export const MAX_USAGE_DAYS = 366;

const DaySchema = z.iso.date().meta({ description: 'A UTC day, YYYY-MM-DD' });

export const UsageQuerySchema = z
  .object({
    from: DaySchema.optional().meta({ description: 'First UTC day (default: 30 days before `to`)' }),
    to: DaySchema.optional().meta({ description: 'Last UTC day, included (default: today)' }),
    channel_id: idSchema('channel').optional().meta({ description: 'Only this channel' }),
  })
  .strict();

export type UsageQuery = z.infer<typeof UsageQuerySchema>;

export const UsageRowSchema = z
  .object({
    day: DaySchema,
    channel_id: idSchema('channel'),
    direction: z.enum(['inbound', 'outbound']),
    category: safeString().meta({ description: "Meta's pricing category (`service` for inbound messages)" }),
    pricing_model: safeString().meta({
      description: '`PMP` (per message), legacy `CBP`, or empty for inbound',
    }),
    billable: z.boolean(),
    country: safeString().meta({
      description: "The recipient's country (ISO 3166 alpha-2) from its number, empty when unknown",
    }),
    messages: z.number().int(),
  })
  .meta({ id: 'UsageRow' });

export const UsageReportSchema = z
  .object({
    from: DaySchema,
    to: DaySchema,
    rows: z.array(UsageRowSchema),
    totals: z.object({ messages: z.number().int(), billable: z.number().int() }),
  })
  .meta({ id: 'UsageReport' });

export type UsageReport = z.infer<typeof UsageReportSchema>;
