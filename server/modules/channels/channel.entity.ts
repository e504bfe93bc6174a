import { defineEntity, p } from '@mikro-orm/core';
import { CHANNEL_CONNECTION_TYPES, CHANNEL_STATUSES } from '../../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../../db/columns.ts';
import { Client } from '../clients/client.entity.ts';
import { channelShareTriggers } from '../permissions/channel-filter-copies.ts';

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
    connectionType: p.enum(CHANNEL_CONNECTION_TYPES).onCreate(() => 'cloud_api' as const),
    /** Meta's quality rating of the number (GREEN, YELLOW, RED, UNKNOWN), kept current by webhooks. */
    qualityRating: p.string().length(32).nullable(),
    /** The messaging limit tier (TIER_250, TIER_2K, …, TIER_UNLIMITED): the number's, or its portfolio's. */
    currentLimit: p.string().length(32).nullable(),
    /** The portfolio's `max_phone_numbers_per_business` (business_capability_update). */
    maxPhoneNumbers: p.integer().nullable(),
    /** Meta's last decision on the display name (APPROVED, REJECTED, DEFERRED, …). */
    nameStatus: p.string().length(32).nullable(),
    /** The last display name change the partner requested through the hub (Meta reviews it). */
    requestedDisplayName: p.string().length(512).nullable(),
    /** The status before Meta took the channel away (disconnected or restricted), restored when Meta gives it back. */
    previousStatus: p.enum(CHANNEL_STATUSES).nullable(),
    /** Why provisioning failed or the channel was disconnected (a hub error code or Meta's event). */
    statusReason: p.string().length(200).nullable(),
    /** Meta business token, sealed with the SecretBox (context: channelSecretContext). */
    metaTokenSealed: p.text().hidden().nullable(),
    metaTokenExpiresAt: p.datetime().nullable(),
    /** When Meta last refused the token (code 190); cleared when a new token is stored. */
    metaTokenInvalidAt: p.datetime().nullable(),
    /** The two-step verification PIN the hub registered the number with, sealed. */
    registrationPinSealed: p.text().hidden().nullable(),
    /** SHA-256 of the last Embedded Signup code used, so a repeated callback is recognised. */
    signupCodeHash: p.string().length(64).hidden().nullable().index(),
    /**
     * Coexistence: the last sign of life of the number's WhatsApp Business app (an echo, a contact
     * or history sync). Meta can drop the link after ~13 days without one (see heartbeat.service.ts).
     */
    businessAppSeenAt: p.datetime().nullable(),
    /** The heartbeat reminder already sent for the current silence (`due`, `overdue`), cleared by activity. */
    heartbeatNotice: p.string().length(16).nullable(),
    /**
     * The tenant's callback Meta sends this WABA's messages to instead of the hub (Meta's override
     * is per WABA, so every channel of the WABA holds the same value); null: the hub's relay.
     */
    webhookOverrideUrl: p.text().nullable(),
    /** The partner that set the override: only it sees the URL. */
    webhookOverrideBy: p.string().length(64).nullable(),
    /** When the hub's app was subscribed to the WABA's webhooks. */
    wabaSubscribedAt: p.datetime().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  triggers: [...channelShareTriggers],
  indexes: [
    { properties: ['client', 'id'] },
    // Used only by the previous release's channel lists (this one filters on the grants' copies,
    // channel-filter-copies.ts): drop both in the next release.
    { properties: ['qualityRating', 'id'] },
    { properties: ['currentLimit', 'id'] },
    // The hourly heartbeat scan reads only coexistence numbers, a small share of all channels.
    { properties: ['connectionType', 'businessAppSeenAt'] },
  ],
});

export class Channel extends ChannelSchema.class {}
ChannelSchema.setClass(Channel);
