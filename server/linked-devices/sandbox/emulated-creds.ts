import { randomBytes, randomInt } from 'node:crypto';
import type { DeviceAuthStore } from '../connector.ts';

/**
 * The emulator's whole credential: which number the device is linked to. It lives in the
 * DeviceAuthStore (like Baileys' `creds` entry) and nowhere else, so that a hub process taking a
 * session over from another one reconnects without pairing again.
 */
export interface EmulatedCreds {
  phoneNumber: string;
  name: string | null;
  pairedAt: string;
}

const CATEGORY = 'creds';
const ID = 'device';

export async function readCreds(store: DeviceAuthStore): Promise<EmulatedCreds | null> {
  const value = (await store.read(CATEGORY, [ID])).get(ID);
  if (!value) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  // A record this emulator did not write (a Baileys one, say) pairs again rather than half-working.
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('phoneNumber' in parsed) ||
    typeof parsed.phoneNumber !== 'string' ||
    digitsOnly(parsed.phoneNumber) === null
  ) {
    return null;
  }
  return parsed as EmulatedCreds;
}

export function writeCreds(store: DeviceAuthStore, creds: EmulatedCreds): Promise<void> {
  return store.write([{ category: CATEGORY, id: ID, value: JSON.stringify(creds) }]);
}

/**
 * A number as WhatsApp addresses it: digits with the country code. Accepts `+44 7700 900123`,
 * `447700900123` and JIDs (`447700900123@s.whatsapp.net`, with or without a `:device` part);
 * null for anything else.
 */
export function digitsOnly(input: string): string | null {
  const user = input.includes('@') ? input.slice(0, input.indexOf('@')).split(':')[0]! : input;
  if (!/^[+\d\s().-]+$/.test(user)) return null;
  const digits = user.replace(/\D/g, '');
  return digits.length >= 7 && digits.length <= 15 ? digits : null;
}

/** Laid out like WhatsApp Web's QR payload: a ref, then the noise key, identity key and ADV secret. */
export function newQrPayload(): string {
  const part = (bytes: number) => randomBytes(bytes).toString('base64');
  return `2@${part(36)},${part(32)},${part(32)},${part(32)}`;
}

/** Baileys' pairing codes: eight characters from an alphabet without look-alikes (0, O, I, U). */
const PAIRING_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTVWXYZ';

export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return code;
}

/** Message ids as WhatsApp Web clients make them (`3EB0` and hex). */
export function newMessageId(): string {
  return `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
}
