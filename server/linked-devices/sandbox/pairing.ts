import { newPairingCode, newQrPayload } from './emulated-creds.ts';
import type { EmulatedPhones } from './emulated-phones.ts';
import type { Emit } from './event-emitter.ts';
import type { TimerSet } from './timer-set.ts';

export interface PairingSettings {
  qrRefreshMs: number;
  /** QR codes shown before giving up with `qr_timeout` (a pairing code lasts as long as they would). */
  qrCodeLimit: number;
}

export interface PairingContext {
  sessionId: string;
  phones: EmulatedPhones;
  timers: TimerSet;
  emit: Emit;
  settings: PairingSettings;
  timedOut: () => void;
}

/**
 * An unlinked connection waiting for a phone: a QR payload now and a fresh one every
 * `qrRefreshMs` (each replacing the last, as WhatsApp Web does), up to `qrCodeLimit` of them.
 */
export function showQrCodes(context: PairingContext, shown = 1): void {
  const payload = newQrPayload();
  context.phones.offerQr(context.sessionId, payload);
  context.emit('qr', payload);
  context.timers.later(context.settings.qrRefreshMs, () =>
    shown < context.settings.qrCodeLimit ? showQrCodes(context, shown + 1) : context.timedOut(),
  );
}

/** One code for the given number, valid as long as the QR codes would have been. */
export function offerPairingCode(context: PairingContext, phoneNumber: string): void {
  const code = newPairingCode();
  context.phones.offerPairingCode(context.sessionId, code, phoneNumber);
  context.emit('pairingCode', code);
  const { qrRefreshMs, qrCodeLimit } = context.settings;
  context.timers.later(qrRefreshMs * qrCodeLimit, context.timedOut);
}
