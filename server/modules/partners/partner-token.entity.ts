import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Partner } from './partner.entity.ts';

export const PartnerTokenSchema = defineEntity({
  name: 'PartnerToken',
  tableName: 'partner_tokens',
  properties: {
    id: idProperty('partnerToken'),
    partner: () => p.manyToOne(Partner).deleteRule('cascade'),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: p.string().length(64).unique().hidden(),
    last4: p.string().length(4),
    createdAt: createdAtProperty(),
    /** Set on rotation: the old token keeps working until then (the grace window). */
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['partner', 'id'] }],
});

export class PartnerToken extends PartnerTokenSchema.class {
  isUsableAt(now: Date): boolean {
    return !this.revokedAt && (!this.expiresAt || this.expiresAt > now);
  }
}
PartnerTokenSchema.setClass(PartnerToken);
