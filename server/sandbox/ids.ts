import { createHash, randomBytes, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Unbiased: bytes of 248 and above are dropped rather than folded onto the first characters. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Meta's object ids are opaque numeric strings; 16 digits avoids collisions in practice. */
export function newGraphId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 1e7)).padStart(7, '0')}${String(randomInt(0, 1e8)).padStart(8, '0')}`;
}

/**
 * A template id: 15 digits, so that the number Meta's template webhooks carry it as
 * (`message_template_id`) stays exact in JavaScript (below 2^53).
 */
export function newTemplateId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 1e7)).padStart(7, '0')}${String(randomInt(0, 1e7)).padStart(7, '0')}`;
}

/** Business integration system user tokens start with EAAG, as Meta's do. */
export function newAccessToken(): string {
  return `EAAG${randomBase62(180)}`;
}

/** Embedded Signup codes are long url-safe strings starting with AQ. */
export function newAuthCode(): string {
  return `AQ${randomBytes(120).toString('base64url')}`;
}

export function newFbtraceId(): string {
  return randomBase62(23);
}

/** Codes and tokens are stored only as hashes: the database never holds a usable credential. */
export function credentialHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

const WAMID_HEAD = Buffer.from([0x1c, 0x18]);
const WAMID_MID = Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]);

/**
 * A `wamid.` id laid out like Meta's (base64 of the wa_id and an 18-character message key),
 * so code that decodes or length-checks real ids behaves the same here.
 */
export function newWamid(waId: string): string {
  const digits = Buffer.from(waId.slice(0, 20));
  const key = Buffer.from(randomBytes(9).toString('hex').toUpperCase());
  return `wamid.${Buffer.concat([WAMID_HEAD, Buffer.from([digits.length]), digits, WAMID_MID, key, Buffer.from([0])]).toString('base64')}`;
}
