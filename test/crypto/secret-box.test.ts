import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from '../../server/crypto/secret-box.ts';

const OLD = 'old-hub-secret-old-hub-secret-old-hub-secret';
const NEW = 'new-hub-secret-new-hub-secret-new-hub-secret';

describe('SecretBox (AES-256-GCM, key id, row-bound associated data)', () => {
  const box = new SecretBox([NEW]);
  const context = 'channel:chn_01:meta_token';

  it('round-trips, with a fresh IV and the key id in every ciphertext', () => {
    const a = box.encrypt('EAAGsecret', context);
    const b = box.encrypt('EAAGsecret', context);
    expect(a).not.toBe(b);
    expect(a).not.toContain('EAAGsecret');
    expect(a.split('.')[1]).toBe(box.currentKeyId);
    expect(box.decrypt(a, context)).toBe('EAAGsecret');
  });

  it('detects a changed ciphertext, tag or IV', () => {
    const sealed = box.encrypt('EAAGsecret', context);
    const parts = sealed.split('.');
    for (const i of [2, 3, 4]) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0]! ^= 1;
      const tampered = parts.map((p, j) => (j === i ? bytes.toString('base64url') : p)).join('.');
      expect(() => box.decrypt(tampered, context)).toThrow(SecretBoxError);
    }
  });

  it('refuses a ciphertext moved to another row or column', () => {
    const sealed = box.encrypt('EAAGsecret', context);
    expect(() => box.decrypt(sealed, 'channel:chn_02:meta_token')).toThrow('failed authentication');
    expect(() => box.decrypt(sealed, 'channel:chn_01:registration_pin')).toThrow('failed authentication');
  });

  it('decrypts with retired keys after a rotation, and encrypts only with the current one', () => {
    const sealedOld = new SecretBox([OLD]).encrypt('pin-123456', context);
    const rotated = new SecretBox([NEW, OLD]);
    expect(rotated.decrypt(sealedOld, context)).toBe('pin-123456');
    expect(rotated.needsRotation(sealedOld)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('x', context))).toBe(false);
    expect(() => new SecretBox([NEW]).decrypt(sealedOld, context)).toThrow('unknown key');
  });
});
