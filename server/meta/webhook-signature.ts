import { createHmac, timingSafeEqual } from 'node:crypto';

/** Meta signs every webhook body with the app secret: `X-Hub-Signature-256: sha256=<hex>`. */
export function signMetaBody(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** The legacy SHA-1 `X-Hub-Signature` Meta still sends alongside; some receivers check only it. */
export function signMetaBodySha1(appSecret: string, rawBody: Buffer | string): string {
  return `sha1=${createHmac('sha1', appSecret).update(rawBody).digest('hex')}`;
}

export function verifyMetaSignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(signMetaBody(appSecret, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
