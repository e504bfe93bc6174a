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
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
});

export class Partner extends PartnerSchema.class {}
PartnerSchema.setClass(Partner);
