import { z } from 'zod';
import { safeString } from './safe-text.ts';

export const TimestampSchema = z.iso.datetime().meta({ description: 'ISO 8601 timestamp in UTC' });

/** Keyset pagination: newest first; pass `next_cursor` back as `cursor` for the next page. */
export const PaginationQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .meta({ description: 'Page size, 1 to 100 (default 20)' }),
  cursor: safeString().max(200).optional().meta({ description: 'The `next_cursor` of the previous page' }),
});

export const NextCursorSchema = safeString()
  .nullable()
  .meta({ description: 'Pass as `cursor` for the next page; null on the last page' });

/** Grace windows: how long superseded credentials keep working. */
export const graceSeconds = (max: number, description: string) =>
  z.number().int().min(0).max(max).meta({ description });

export const UrlInputSchema = safeString().min(1).max(2048);
