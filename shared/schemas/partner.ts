import { z } from 'zod';
import { idSchema } from '../ids.ts';

/** A partner as every API surface shows it (snake_case wire format). */
export const PartnerViewSchema = z.object({
  id: idSchema('partner'),
  name: z.string(),
  brand_name: z.string().nullable(),
  logo_url: z.string().nullable(),
  webhook_url: z.string().nullable(),
  partner_redirect_url: z.string().nullable(),
  allowed_redirect_urls: z.array(z.string()),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

export type PartnerView = z.infer<typeof PartnerViewSchema>;

export const PartnerIdParamsSchema = z.object({ partner_id: z.string() });
