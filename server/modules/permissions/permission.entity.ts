import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Channel } from '../channels/channel.entity.ts';
import { Client } from '../clients/client.entity.ts';
import { Partner } from '../partners/partner.entity.ts';

/**
 * One row per grant: revoking stamps `revokedAt` and a later grant adds a new row,
 * so the table is the partner × channel access history. At most one row per pair is current.
 */
export const PermissionSchema = defineEntity({
  name: 'Permission',
  tableName: 'permissions',
  properties: {
    id: idProperty('permission'),
    partner: () => p.manyToOne(Partner),
    channel: () => p.manyToOne(Channel),
    /** The channel's client, kept here so "what does this client grant this partner" is one index scan. */
    client: () => p.manyToOne(Client),
    grantedAt: createdAtProperty(),
    grantedBy: p.string().length(64).nullable(),
    revokedAt: p.datetime().nullable(),
    revokedBy: p.string().length(64).nullable(),
    /**
     * What the partner knows the channel by: the onboarding session's `tenant_id` and `metadata`
     * (Dualhook keeps them on the connection). On the grant, so only that partner sees them.
     */
    tenantId: p.string().length(200).nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
  },
  uniques: [
    { name: 'permissions_current_unique', properties: ['partner', 'channel'], where: 'revoked_at is null' },
  ],
  indexes: [
    { properties: ['channel', 'id'] },
    {
      name: 'permissions_client_current_index',
      properties: ['client', 'partner'],
      where: 'revoked_at is null',
    },
  ],
});

export class Permission extends PermissionSchema.class {}
PermissionSchema.setClass(Permission);
