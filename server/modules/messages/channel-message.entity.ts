import { defineEntity, p } from '@mikro-orm/core';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Channel } from '../channels/channel.entity.ts';

export const MESSAGE_DIRECTIONS = ['inbound', 'outbound'] as const;

/**
 * One message of a channel's log: what the customer sent (inbound), what the app sent through
 * the messaging API or the business from the WhatsApp Business app (outbound), with the last
 * status Meta reported. Kept as long as events are (EVENT_RETENTION_DAYS).
 */
export const ChannelMessageSchema = defineEntity({
  name: 'ChannelMessage',
  tableName: 'channel_messages',
  properties: {
    id: idProperty('channelMessage'),
    channel: () => p.manyToOne(Channel).deleteRule('cascade'),
    direction: p.enum(MESSAGE_DIRECTIONS),
    /** Meta's message id (`wamid.…`). */
    wamid: p.string().length(256),
    /** The customer: `wa_id` (phone digits), or the business-scoped user id when no number is shared. */
    contact: p.string().length(128).nullable(),
    /** Meta's message type (text, image, template, …); null when only a status was seen. */
    type: p.string().length(32).nullable(),
    /** `api` (the messaging API), `business_app` (a coexistence echo), `customer`, or `meta` (known from a status only). */
    source: p.string().length(16),
    /** inbound: received, read; outbound: accepted, sent, delivered, read, failed. */
    status: p.string().length(16),
    statusAt: p.datetime(),
    /** Meta's first error of a failed message. */
    errorCode: p.integer().nullable(),
    errorTitle: p.string().length(200).nullable(),
    /** The message object (Meta's, or the request sent), at most 4 KiB of JSON; null when larger. */
    payload: p.json<Record<string, unknown>>().nullable(),
    /** When the message was sent or received (Meta's timestamp when it has one). */
    sentAt: p.datetime(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  uniques: [{ properties: ['channel', 'wamid'] }],
  indexes: [{ properties: ['channel', 'id'] }, { properties: ['createdAt'] }],
});

export class ChannelMessage extends ChannelMessageSchema.class {}
ChannelMessageSchema.setClass(ChannelMessage);
