import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';

export const PartnerSchema = defineEntity({
  name: 'Partner',
  tableName: 'partners',
  properties: {
    id: idProperty('partner'),
    name: p.string().length(200),
    brandName: p.string().length(200).nullable(),
    logoUrl: p.text().nullable(),
    partnerRedirectUrl: p.text().nullable(),
    /** Exact-match allowlist for per-request redirect URLs. */
    allowedRedirectUrls: p.json<string[]>().onCreate(() => []),
    /**
     * The primary webhook destination's URL, read with the partner so that a partner view
     * costs no second query. Read-only: the URL lives on the destination row.
     */
    webhookUrl: p
      .string()
      .formula(
        (cols) =>
          `(select d.url from webhook_destinations d where d.partner_id = ${cols.id} and d.kind = 'partner_webhook')`,
      )
      .nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
});

export class Partner extends PartnerSchema.class {}
PartnerSchema.setClass(Partner);
