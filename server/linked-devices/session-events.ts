import type { EntityManager } from '@mikro-orm/postgresql';
import type { LinkedDeviceStatus } from '../../shared/statuses.ts';
import type { Clock } from '../clock.ts';
import { channelAudience, eventForEach } from '../modules/channels/channel-lifecycle.ts';
import { recordEvents } from '../modules/webhooks/record-events.ts';
import type { LinkedDeviceSession } from './linked-device-session.entity.ts';

const base = (s: LinkedDeviceSession) => ({
  session_id: s.id,
  channel_id: s.channel.id,
  client_id: s.client.id,
});

/** `session.status` for everyone who hears about the session's channel, in the caller's transaction. */
export async function recordSessionStatus(
  tx: EntityManager,
  clock: Clock,
  session: LinkedDeviceSession,
  previous: LinkedDeviceStatus | null,
): Promise<void> {
  const data = {
    ...base(session),
    status: session.status,
    previous_status: previous,
    reason: session.statusReason ?? null,
    phone_number: session.phoneNumber ?? null,
  };
  const audience = await channelAudience(tx, session.channel);
  await recordEvents(tx, clock, eventForEach(audience, session.channel, 'session.status', data));
}

/** `session.qr`: the QR payload (or pairing code) now on show. */
export async function recordSessionQr(
  tx: EntityManager,
  clock: Clock,
  session: LinkedDeviceSession,
): Promise<void> {
  const data = {
    ...base(session),
    qr: session.qr ?? null,
    pairing_code: session.pairingCode ?? null,
    expires_at: (session.pairingExpiresAt ?? clock.now()).toISOString(),
  };
  const audience = await channelAudience(tx, session.channel);
  await recordEvents(tx, clock, eventForEach(audience, session.channel, 'session.qr', data));
}
