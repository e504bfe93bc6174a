import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty } from '../../db/columns.ts';
import { Channel } from '../channels/channel.entity.ts';
import { Partner } from '../partners/partner.entity.ts';

export const ChannelApiKeySchema = defineEntity({
  name: 'ChannelApiKey',
  tableName: 'channel_api_keys',
  properties: {
    id: idProperty('channelApiKey'),
    channel: () => p.manyToOne(Channel),
    /** The partner that minted the key; the key dies with that partner's permission. */
    partner: () => p.manyToOne(Partner),
    keyHash: p.string().length(64).unique().hidden(),
    last4: p.string().length(4),
    createdAt: createdAtProperty(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['channel', 'id'] }, { properties: ['partner', 'id'] }],
});

export class ChannelApiKey extends ChannelApiKeySchema.class {
  isUsableAt(now: Date): boolean {
    return !this.revokedAt && (!this.expiresAt || this.expiresAt > now);
  }
}
ChannelApiKeySchema.setClass(ChannelApiKey);
