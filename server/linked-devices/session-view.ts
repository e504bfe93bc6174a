import type { LinkedDeviceSession } from './linked-device-session.entity.ts';

/**
 * Whether a session is really alive, beyond its status: `healthy` (connected, answering probes),
 * `unresponsive` (says connected, but the last probe went unanswered or nothing arrived for two
 * probe intervals), `unowned` (connected when its worker was last heard of, and no worker holds it
 * now: being taken over), `offline` (not connected).
 */
export type SessionHealth = 'healthy' | 'unresponsive' | 'unowned' | 'offline';

export function sessionHealth(s: LinkedDeviceSession, now: Date, probeIntervalMs: number): SessionHealth {
  if (s.status !== 'CONNECTED') return 'offline';
  if (!s.leaseUntil || s.leaseUntil < now) return 'unowned';
  if (s.lastProbeOk === false) return 'unresponsive';
  const seen = s.lastActivityAt ?? s.connectedAt;
  if (seen && now.getTime() - seen.getTime() > 2 * probeIntervalMs) return 'unresponsive';
  return 'healthy';
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The partner API's view (snake_case, like the rest of it). */
export function toSessionView(s: LinkedDeviceSession, now: Date, probeIntervalMs: number) {
  return {
    id: s.id,
    client_id: s.client.id,
    channel_id: s.channel.id,
    name: s.name ?? null,
    status: s.status,
    status_reason: s.statusReason ?? null,
    qr: s.status === 'QR' ? (s.qr ?? null) : null,
    pairing_code: s.status === 'QR' ? (s.pairingCode ?? null) : null,
    pairing_expires_at: s.status === 'QR' ? iso(s.pairingExpiresAt) : null,
    pairing_phone_number: s.pairingPhoneNumber ?? null,
    phone_number: s.phoneNumber ?? null,
    push_name: s.pushName ?? null,
    connected_at: iso(s.connectedAt),
    health: {
      state: sessionHealth(s, now, probeIntervalMs),
      last_activity_at: iso(s.lastActivityAt),
      last_probe_at: iso(s.lastProbeAt),
      last_probe_ok: s.lastProbeOk ?? null,
      last_message_at: iso(s.lastMessageAt),
    },
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}
export type SessionView = ReturnType<typeof toSessionView>;
