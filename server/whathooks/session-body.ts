import type { LinkedDeviceSession } from '../linked-devices/linked-device-session.entity.ts';
import { sessionHealth } from '../linked-devices/session-view.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * A session as whathooks shows one (camelCase, its statuses), with the hub's ids and health
 * beside: `clientId` and `channelId` are what the hub's own API and webhooks name.
 */
export function toWhathooksSession(s: LinkedDeviceSession, now: Date, probeIntervalMs: number) {
  const pairing = s.status === 'QR';
  return {
    id: s.id,
    name: s.name ?? null,
    status: s.status,
    statusReason: s.statusReason ?? null,
    phoneNumber: s.phoneNumber ?? null,
    pushName: s.pushName ?? null,
    qr: pairing ? (s.qr ?? null) : null,
    pairingCode: pairing ? (s.pairingCode ?? null) : null,
    qrExpiresAt: pairing ? iso(s.pairingExpiresAt) : null,
    health: sessionHealth(s, now, probeIntervalMs),
    connectedAt: iso(s.connectedAt),
    lastMessageAt: iso(s.lastMessageAt),
    clientId: s.client.id,
    channelId: s.channel.id,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
