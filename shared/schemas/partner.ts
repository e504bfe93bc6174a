import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { TimestampSchema, UrlInputSchema } from './common.ts';

/** A partner as every API surface shows it (snake_case wire format). */
export const PartnerViewSchema = z
  .object({
    id: idSchema('partner'),
    name: z.string(),
    brand_name: z.string().nullable(),
    logo_url: z.string().nullable(),
    webhook_url: z.string().nullable(),
    partner_redirect_url: z.string().nullable(),
    allowed_redirect_urls: z.array(z.string()),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'Partner' });

export type PartnerView = z.infer<typeof PartnerViewSchema>;

export const MAX_ALLOWED_REDIRECT_URLS = 20;

export const PartnerUpdateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    brand_name: z.string().trim().min(1).max(200).nullable().optional(),
    logo_url: UrlInputSchema.nullable().optional(),
    webhook_url: UrlInputSchema.nullable().optional(),
    partner_redirect_url: UrlInputSchema.nullable().optional(),
    allowed_redirect_urls: z
      .array(UrlInputSchema)
      .max(MAX_ALLOWED_REDIRECT_URLS)
      .optional()
      .meta({ description: 'Exact-match allowlist for per-request redirect URLs (replaces the list)' }),
  })
  .meta({ id: 'PartnerUpdate' });

export type PartnerUpdate = z.infer<typeof PartnerUpdateSchema>;
