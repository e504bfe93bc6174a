import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

const VERSION = 'v1';

interface Key {
  id: string;
  /** A KeyObject, made once: building one from raw bytes on every call is measurable on hot paths. */
  key: KeyObject;
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/**
 * Authenticated encryption (AES-256-GCM) for third-party secrets at rest, keyed from
 * HUB_SECRET. The `context` (e.g. `channel:chn_…:meta_token`) is bound as associated data,
 * so a ciphertext copied onto another row or column fails to decrypt.
 *
 * The first secret encrypts; all of them decrypt, which is what key rotation needs.
 */
export class SecretBox {
  readonly #keys: Key[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new SecretBoxError('SecretBox needs at least one secret');
    this.#keys = secrets.map(deriveKey);
  }

  get currentKeyId(): string {
    return this.#keys[0]!.id;
  }

  encrypt(plaintext: string, context: string): string {
    const key = this.#keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return [VERSION, key.id, ...parts].join('.');
  }

  decrypt(sealed: string, context: string): string {
    const [version, keyId, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || body === undefined || !tag)
      throw new SecretBoxError('malformed ciphertext');
    const key = this.#keys.find((k) => k.id === keyId);
    if (!key) throw new SecretBoxError('ciphertext was sealed with an unknown key');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretBoxError('ciphertext failed authentication');
    }
  }

  /** True when a value should be re-sealed under the current key. */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentKeyId;
  }
}

function deriveKey(secret: string): Key {
  const bytes = Buffer.from(hkdfSync('sha256', secret, 'partner-hub', 'secret-box:v1', 32));
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), key: createSecretKey(bytes) };
}
