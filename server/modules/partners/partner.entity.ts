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
    webhookUrl: p.text().nullable(),
    partnerRedirectUrl: p.text().nullable(),
    /** Exact-match allowlist for per-request redirect URLs. */
    allowedRedirectUrls: p.json<string[]>().onCreate(() => []),
    /** `whsec_…` signing secret, sealed with the SecretBox (it must be recoverable to sign). */
    webhookSecretSealed: p.text().hidden(),
    /** The secret before the last rotation; still signed with until it expires. */
    previousWebhookSecretSealed: p.text().hidden().nullable(),
    previousWebhookSecretExpiresAt: p.datetime().nullable(),
    /** Primary webhook health: failing without a success since, and disabled (410, or failing too long). */
    webhookFailingSince: p.datetime().nullable(),
    webhookDisabledAt: p.datetime().nullable(),
    webhookDisabledReason: p.string().length(200).nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
});

export class Partner extends PartnerSchema.class {}
PartnerSchema.setClass(Partner);
