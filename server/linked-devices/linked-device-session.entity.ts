import { defineEntity, p } from '@mikro-orm/core';
import { LINKED_DEVICE_STATUSES } from '../../shared/statuses.ts';
import { createdAtProperty, idProperty, updatedAtProperty } from '../db/columns.ts';
import { Channel } from '../modules/channels/channel.entity.ts';
import { Client } from '../modules/clients/client.entity.ts';
import { Partner } from '../modules/partners/partner.entity.ts';

/** What the cluster should do with a session: run it, leave it until asked (`idle`), or never again. */
export const LINKED_DEVICE_DESIRED = ['active', 'idle', 'stopped'] as const;
export type LinkedDeviceDesired = (typeof LINKED_DEVICE_DESIRED)[number];

/**
 * A linked-device session: the pairing and connection of one `linked_device` channel (one to one;
 * the channel's `phone_number_id` is the session id). The worker that holds the lease
 * (`owner_id` until `lease_until`) is the only process with a socket for it; every write of
 * a connection's state is fenced on `owner_id` (see runner/session-lease.ts).
 */
export const LinkedDeviceSessionSchema = defineEntity({
  name: 'LinkedDeviceSession',
  tableName: 'linked_device_sessions',
  properties: {
    id: idProperty('linkedDeviceSession'),
    partner: () => p.manyToOne(Partner),
    client: () => p.manyToOne(Client),
    channel: () => p.oneToOne(Channel).owner().unique(),
    /** The partner's label for it (whathooks' session name). */
    name: p.string().length(200).nullable(),
    status: p.enum(LINKED_DEVICE_STATUSES).onCreate(() => 'PENDING' as const),
    /** Why it is DISCONNECTED or LOGGED_OUT (`qr_timeout`, `connection_lost`, `logged_out`, …). */
    statusReason: p.string().length(64).nullable(),
    desired: p.enum(LINKED_DEVICE_DESIRED).onCreate(() => 'active' as const),
    /** Digits: pair with a code typed on this phone instead of a QR code. */
    pairingPhoneNumber: p.string().length(32).nullable(),
    /** The QR payload on show (it replaces the one before), or the pairing code, until `pairingExpiresAt`. */
    qr: p.text().nullable(),
    pairingCode: p.string().length(16).nullable(),
    pairingExpiresAt: p.datetime().nullable(),
    /** The linked number once paired (digits) and the name WhatsApp gives it. */
    phoneNumber: p.string().length(32).nullable(),
    pushName: p.string().length(200).nullable(),
    connectedAt: p.datetime().nullable(),
    /** The last frame the socket received: "connected" with an old value here is not receiving. */
    lastActivityAt: p.datetime().nullable(),
    lastProbeAt: p.datetime().nullable(),
    /** Whether the last liveness probe was answered. */
    lastProbeOk: p.boolean().nullable(),
    lastMessageAt: p.datetime().nullable(),
    ownerId: p.string().length(64).nullable(),
    leaseUntil: p.datetime().nullable(),
    createdAt: createdAtProperty(),
    updatedAt: updatedAtProperty(),
  },
  indexes: [
    { properties: ['partner', 'id'] },
    { properties: ['client', 'id'] },
    // The claim scan: sessions to run whose lease is free or expired.
    { name: 'linked_device_sessions_claim_index', properties: ['desired', 'leaseUntil'] },
    { properties: ['ownerId'] },
  ],
});

export class LinkedDeviceSession extends LinkedDeviceSessionSchema.class {}
LinkedDeviceSessionSchema.setClass(LinkedDeviceSession);
