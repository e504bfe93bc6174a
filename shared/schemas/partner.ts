import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { PAYMENT_MODELS } from '../statuses.ts';
import { TimestampSchema, UrlInputSchema } from './common.ts';
import { safeString } from './safe-text.ts';

/** A partner as every API surface shows it (snake_case wire format). */
export const PartnerViewSchema = z
  .object({
    id: idSchema('partner'),
    name: safeString(),
    brand_name: safeString().nullable(),
    logo_url: safeString().nullable(),
    webhook_url: safeString().nullable(),
    partner_redirect_url: safeString().nullable(),
    allowed_redirect_urls: z.array(safeString()),
    require_signed_links: z.boolean(),
    payment_model: z.enum(PAYMENT_MODELS).meta({
      description:
        'Who pays for your clients’ messaging: `partner` (you) or `direct` (each client, with a card, after accepting the price list). Set by the operator.',
    }),
    suspended_at: TimestampSchema.nullable().meta({
      description:
        'When the operator suspended the partner (its tokens and console users then get `403 partner_suspended`); null while active.',
    }),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .meta({ id: 'Partner' });

export type PartnerView = z.infer<typeof PartnerViewSchema>;

export const MAX_ALLOWED_REDIRECT_URLS = 20;

export const PartnerUpdateSchema = z
  .strictObject({
    name: safeString().trim().min(1).max(200).optional(),
    brand_name: safeString().trim().min(1).max(200).nullable().optional(),
    logo_url: UrlInputSchema.nullable().optional(),
    webhook_url: UrlInputSchema.nullable().optional(),
    partner_redirect_url: UrlInputSchema.nullable().optional(),
    allowed_redirect_urls: z
      .array(UrlInputSchema)
      .max(MAX_ALLOWED_REDIRECT_URLS)
      .optional()
      .meta({ description: 'Exact-match allowlist for per-request redirect URLs (replaces the list)' }),
    require_signed_links: z.boolean().optional().meta({
      description:
        'Open the permission page only from links with a version-2 io_signature, which covers every visit parameter',
    }),
  })
  .meta({ id: 'PartnerUpdate' });

export type PartnerUpdate = z.infer<typeof PartnerUpdateSchema>;
