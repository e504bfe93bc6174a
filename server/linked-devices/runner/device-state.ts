import { type EntityManager, LockMode, type MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Logger } from '../../logger.ts';
import { moveChannel, recordChannelUpdated } from '../../modules/channels/channel-lifecycle.ts';
import { completeOnboardingOnPairing } from '../../modules/onboarding/onboarding-linked-device.service.ts';
import { LinkedDeviceSession } from '../linked-device-session.entity.ts';
import { recordSessionQr, recordSessionStatus } from '../session-events.ts';
import { markLoggedOut } from '../sessions.service.ts';

/** How long a QR payload is shown before the next replaces it (WhatsApp Web: about 20 s). */
export const QR_SHOWN_MS = 20_000;
/** A pairing code lasts as long as the QR codes would have (about two minutes). */
export const PAIRING_CODE_MS = 120_000;

/** A change the connection reported, applied to the session row (and its channel) by its owner. */
export type DeviceUpdate =
  | { kind: 'qr'; qr: string }
  | { kind: 'pairing_code'; code: string }
  | { kind: 'connecting' }
  | { kind: 'connected'; phoneNumber: string; name: string | null }
  | { kind: 'disconnected'; reason: string; idle: boolean }
  | { kind: 'logged_out'; reason: string }
  | { kind: 'probe'; ok: boolean };

/**
 * Applies one update in one transaction, fenced on the owner: the session row is locked only if
 * this worker still owns it; false when it does not (the caller closes its socket). Status
 * changes record `session.status`, QR codes `session.qr`, and the channel follows: live once
 * paired (with the linked number), disconnected when logged out.
 */
export async function applyDeviceUpdate(
  deps: DeviceStateDeps,
  ownerId: string,
  sessionId: string,
  update: DeviceUpdate,
): Promise<boolean> {
  return deps.orm.em.fork().transactional(async (tx) => {
    const session = await tx.findOne(
      LinkedDeviceSession,
      { id: sessionId, ownerId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['channel', 'client'] },
    );
    if (!session) return false;
    await apply(tx, deps.clock, session, update);
    await tx.flush();
    // Paired during an onboarding session: it completes with CONNECTED, whether or not the
    // tenant's page is still open to post its Continue.
    if (update.kind === 'connected') await completeOnboardingOnPairing(tx, deps, session);
    return true;
  });
}

export interface DeviceStateDeps {
  orm: MikroORM;
  clock: Clock;
  secretBox: SecretBox;
  logger: Logger;
}

async function apply(
  tx: EntityManager,
  clock: Clock,
  s: LinkedDeviceSession,
  u: DeviceUpdate,
): Promise<void> {
  const now = clock.now();
  const previous = s.status;
  switch (u.kind) {
    case 'qr':
    case 'pairing_code':
      s.status = 'QR';
      s.statusReason = null;
      s.qr = u.kind === 'qr' ? u.qr : null;
      s.pairingCode = u.kind === 'pairing_code' ? u.code : null;
      s.pairingExpiresAt = new Date(now.getTime() + (u.kind === 'qr' ? QR_SHOWN_MS : PAIRING_CODE_MS));
      await tx.flush();
      if (previous !== 'QR') await recordSessionStatus(tx, clock, s, previous);
      await recordSessionQr(tx, clock, s);
      return;
    case 'connecting':
      clearPairing(s);
      return setStatus(tx, clock, s, 'CONNECTING', null);
    case 'connected': {
      clearPairing(s);
      s.phoneNumber = u.phoneNumber;
      s.pushName = u.name;
      s.connectedAt = now;
      s.lastActivityAt = now;
      s.lastProbeOk = null;
      await setStatus(tx, clock, s, 'CONNECTED', null);
      const channel = s.channel;
      const changed: string[] = [];
      if (channel.phoneNumber !== u.phoneNumber) {
        channel.phoneNumber = u.phoneNumber;
        changed.push('phone_number');
      }
      if (u.name && channel.displayName !== u.name) {
        channel.displayName = u.name;
        changed.push('display_name');
      }
      if (channel.status !== 'live') {
        moveChannel(channel, 'live');
        changed.push('status');
      }
      await tx.flush();
      await recordChannelUpdated(tx, clock, channel, changed);
      return;
    }
    case 'disconnected':
      if (u.idle) {
        s.desired = 'idle';
        clearPairing(s);
      }
      return setStatus(tx, clock, s, 'DISCONNECTED', u.reason);
    case 'logged_out':
      return markLoggedOut(tx, clock, s, u.reason);
    case 'probe':
      s.lastProbeAt = now;
      s.lastProbeOk = u.ok;
      if (u.ok) s.lastActivityAt = now;
      // Connected but not answering: say so, rather than "connected" while dead.
      if (!u.ok && s.status === 'CONNECTED') return setStatus(tx, clock, s, 'DISCONNECTED', 'not_responding');
      if (u.ok && s.status === 'DISCONNECTED' && s.statusReason === 'not_responding')
        return setStatus(tx, clock, s, 'CONNECTED', null);
      return;
  }
}

function clearPairing(s: LinkedDeviceSession): void {
  s.qr = null;
  s.pairingCode = null;
  s.pairingExpiresAt = null;
}

async function setStatus(
  tx: EntityManager,
  clock: Clock,
  s: LinkedDeviceSession,
  status: LinkedDeviceSession['status'],
  reason: string | null,
): Promise<void> {
  const previous = s.status;
  if (previous === status && s.statusReason === reason) return;
  s.status = status;
  s.statusReason = reason;
  await tx.flush();
  if (previous !== status) await recordSessionStatus(tx, clock, s, previous);
}
