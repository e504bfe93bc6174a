/**
 * What the hosted pages share to pair a linked device: the start form's schema, the pairing
 * state the page shows (and its status endpoint answers), and when "Show a new code" applies.
 */
import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';
import type { LinkedDeviceStatus } from '../../shared/statuses.ts';
import type { LinkedDeviceSession } from '../linked-devices/linked-device-session.entity.ts';
import { qrPngDataUrl } from '../linked-devices/sandbox/qr-image.ts';

/** An empty phone number means "show a QR code"; one with digits asks for a pairing code. */
export const PairingStartSchema = z.object({
  phone_number: safeString()
    .trim()
    .max(32)
    .optional()
    .transform((v) => (v ? v.replace(/[\s().-]/g, '') : undefined))
    .refine((v) => v === undefined || /^\+?\d{6,20}$/.test(v), {
      message: 'Enter the phone number with its country code, digits only (for example +49 151 1234 5678).',
    })
    .transform((v) => v?.replace(/^\+/, '')),
});

/** The session may pair again: the QR codes ran out (idle), or the phone unlinked it. */
export function canRestart(s: Pick<LinkedDeviceSession, 'status' | 'desired'>): boolean {
  return s.status === 'LOGGED_OUT' || (s.desired === 'idle' && s.status === 'DISCONNECTED');
}

/** The one sentence the page's live region says for a state: what to do now. */
export function pairingSentence(
  s: Pick<LinkedDeviceSession, 'status' | 'statusReason' | 'desired' | 'pairingCode' | 'phoneNumber'>,
): string {
  switch (s.status as LinkedDeviceStatus) {
    case 'PENDING':
      return 'Waiting for a code from WhatsApp…';
    case 'QR':
      return s.pairingCode
        ? 'Enter this code on your phone: WhatsApp › Settings › Linked devices › Link a device › Link with phone number instead.'
        : 'Scan the QR code with your phone: WhatsApp › Settings › Linked devices › Link a device.';
    case 'CONNECTING':
      return 'Code accepted: connecting…';
    case 'CONNECTED':
      return `Connected${s.phoneNumber ? ` as +${s.phoneNumber}` : ''}.`;
    case 'LOGGED_OUT':
      return 'The phone unlinked this device. Show a new code to link it again.';
    default:
      if (canRestart(s)) return 'The code expired before it was used. Show a new code to try again.';
      return 'The connection dropped; reconnecting…';
  }
}

export interface PairingState {
  status: LinkedDeviceStatus;
  reason: string | null;
  message: string;
  /** The QR code on show, as a PNG data URL (null with a pairing code, or no code yet). */
  qr_image: string | null;
  pairing_code: string | null;
  expires_at: string | null;
  phone_number: string | null;
  can_restart: boolean;
}

export async function pairingState(s: LinkedDeviceSession): Promise<PairingState> {
  const showing = s.status === 'QR';
  return {
    status: s.status,
    reason: s.statusReason ?? null,
    message: pairingSentence(s),
    qr_image: showing && s.qr && !s.pairingCode ? await qrPngDataUrl(s.qr) : null,
    pairing_code: showing ? (s.pairingCode ?? null) : null,
    expires_at: showing ? (s.pairingExpiresAt?.toISOString() ?? null) : null,
    phone_number: s.phoneNumber ?? null,
    can_restart: canRestart(s),
  };
}
