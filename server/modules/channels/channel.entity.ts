import { defineEntity, p } from '@mikro-orm/core';
import { CHANNEL_STATUSES } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Client } from '../clients/client.entity.ts';

export const ChannelSchema = defineEntity({
  name: 'Channel',
  tableName: 'channels',
  properties: {
    id: idProperty('channel'),
    client: () => p.manyToOne(Client),
    /** Digits only, country code first (the form the `number` URL parameter uses). */
    phoneNumber: p.string().length(32).index(),
    displayName: p.string().length(200).nullable(),
    verifiedName: p.string().length(200).nullable(),
    businessId: p.string().length(64).nullable(),
    wabaId: p.string().length(64).index(),
    phoneNumberId: p.string().length(64).unique(),
    status: p.enum(CHANNEL_STATUSES).onCreate(() => 'pending' as const),
    qualityRating: p.string().length(32).nullable(),
    /** Meta business token, sealed with the SecretBox. */
    metaTokenSealed: p.text().hidden().nullable(),
    metaTokenExpiresAt: p.datetime().nullable(),
    /** Where inbound messages for this number are delivered. */
    webhookUrl: p.text().nullable(),
    /** Extra headers for inbound deliveries (may hold credentials), sealed JSON. */
    webhookHeadersSealed: p.text().hidden().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  indexes: [{ properties: ['client', 'id'] }],
});

export class Channel extends ChannelSchema.class {}
ChannelSchema.setClass(Channel);
