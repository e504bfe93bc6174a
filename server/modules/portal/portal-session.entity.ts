import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Client } from '../clients/client.entity.ts';
import { Partner } from '../partners/partner.entity.ts';

/**
 * One embedded client portal (docs/embedding.md): a one-time link a partner minted for one of
 * its clients, and, once the link is exchanged, the session the portal page holds in memory.
 * Only digests of both credentials are kept.
 */
export const PortalSessionSchema = defineEntity({
  name: 'PortalSession',
  tableName: 'portal_sessions',
  properties: {
    id: idProperty('portalSession'),
    partner: () => p.manyToOne(Partner).deleteRule('cascade'),
    /** The only client this portal ever shows or changes. */
    client: () => p.manyToOne(Client).deleteRule('cascade'),
    linkTokenHash: p.string().length(64).unique().hidden(),
    /** Until when the link may be exchanged (once). */
    linkExpiresAt: p.datetime(),
    /** Whether the portal lists the webhook deliveries of the client's numbers: the partner's choice per link. */
    showDeliveries: p.boolean().default(false),
    /** Who minted the link (a partner token or console user id), for the audit trail. */
    createdBy: p.string().length(64).nullable(),
    exchangedAt: p.datetime().nullable(),
    sessionTokenHash: p.string().length(64).unique().nullable().hidden(),
    /** Until when the session answers; set at the exchange. */
    expiresAt: p.datetime().nullable(),
    createdAt: createdAtProperty(),
  },
  indexes: [{ properties: ['partner', 'id'] }, { properties: ['client'] }],
});

export class PortalSession extends PortalSessionSchema.class {}
PortalSessionSchema.setClass(PortalSession);
