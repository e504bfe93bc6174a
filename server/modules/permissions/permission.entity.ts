import { defineEntity, p } from '@mikro-orm/core';
import { CHANNEL_STATUSES } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Channel } from '../channels/channel.entity.ts';
import { Client } from '../clients/client.entity.ts';
import { Partner } from '../partners/partner.entity.ts';
import { permissionCopyTriggers } from './channel-filter-copies.ts';

/**
 * One row per grant: revoking stamps `revokedAt` and a later grant adds a new row,
 * so the table is the partner × channel access history. At most one row per pair is current.
 */
const current = 'revoked_at is null';

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
    /**
     * The channel's list filters, copied here so a partner's filtered channel list is one walk of
     * its own grants (a value none of its channels has costs nothing, however many channels hold
     * it). Triggers keep them equal to the channel's (`channel-filter-copies.ts`): the app never
     * sets them.
     */
    channelStatus: p.enum(CHANNEL_STATUSES).nullable(),
    channelQualityRating: p.string().length(32).nullable(),
    channelCurrentLimit: p.string().length(32).nullable(),
  },
  uniques: [
    { name: 'permissions_current_unique', properties: ['partner', 'channel'], where: 'revoked_at is null' },
  ],
  triggers: [...permissionCopyTriggers],
  indexes: [
    { properties: ['channel', 'id'] },
    {
      name: 'permissions_client_current_index',
      properties: ['client', 'partner'],
      where: 'revoked_at is null',
    },
    // The filtered channel lists: a partner's current grants by one filter, newest channel first.
    {
      name: 'permissions_current_status_index',
      properties: ['partner', 'channelStatus', 'channel'],
      where: current,
    },
    {
      name: 'permissions_current_quality_rating_index',
      properties: ['partner', 'channelQualityRating', 'channel'],
      where: current,
    },
    {
      name: 'permissions_current_current_limit_index',
      properties: ['partner', 'channelCurrentLimit', 'channel'],
      where: current,
    },
  ],
});

export class Permission extends PermissionSchema.class {}
PermissionSchema.setClass(Permission);
