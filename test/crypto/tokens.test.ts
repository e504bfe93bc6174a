import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../server/crypto/secret-box.ts';
import {
  generateToken,
  hashToken,
  isWellFormedToken,
  lastFour,
  TOKEN_PREFIXES,
} from '../../server/crypto/tokens.ts';

describe('tokens', () => {
  const prefix = TOKEN_PREFIXES.partnerToken;

  it('have a recognisable prefix, 30 random base62 characters and a 6-character checksum', () => {
    const token = generateToken(prefix);
    expect(token).toMatch(/^hubp_[0-9A-Za-z]{36}$/);
    expect(isWellFormedToken(token, prefix)).toBe(true);
    expect(lastFour(token)).toBe(token.slice(-4));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('are not accepted under another prefix', () => {
    const key = generateToken(TOKEN_PREFIXES.channelApiKey);
    expect(isWellFormedToken(key, TOKEN_PREFIXES.partnerToken)).toBe(false);
  });

  it('fail the checksum when any single character changes', () => {
    const token = generateToken(prefix);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    for (let i = prefix.length + 1; i < token.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(token[i]!) + 1) % alphabet.length]!;
      const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
      expect(isWellFormedToken(tampered, prefix), `position ${i}`).toBe(false);
    }
  });

  it('property: the checksum catches every single-character change of any token', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-';
    fc.assert(
      fc.property(
        fc.constantFrom(TOKEN_PREFIXES.partnerToken, TOKEN_PREFIXES.channelApiKey),
        fc.nat(),
        fc.constantFrom(...alphabet),
        (tokenPrefix, position, replacement) => {
          const token = generateToken(tokenPrefix);
          const i = position % token.length;
          fc.pre(token[i] !== replacement);
          const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
          return !isWellFormedToken(tampered, tokenPrefix);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('property: generated tokens always have the documented shape and pass their own check', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(TOKEN_PREFIXES.partnerToken, TOKEN_PREFIXES.channelApiKey),
        (tokenPrefix) => {
          const token = generateToken(tokenPrefix);
          return (
            new RegExp(`^${tokenPrefix}_[0-9A-Za-z]{36}$`).test(token) &&
            isWellFormedToken(token, tokenPrefix)
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: arbitrary strings are not accepted as tokens', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        (s) => !isWellFormedToken(`hubp_${s}`, TOKEN_PREFIXES.partnerToken) || s.length === 36,
      ),
      { numRuns: 5000 },
    );
  });

  it('are unique', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken(prefix)));
    expect(tokens.size).toBe(1000);
  });
});

describe('SecretBox', () => {
  const box = new SecretBox(['a-hub-secret-that-is-long-enough-1234']);

  it('round-trips a secret bound to its context', () => {
    const sealed = box.encrypt('whsec_abc', 'partner:ptn_1:webhook_secret');
    expect(sealed).not.toContain('whsec_abc');
    expect(box.decrypt(sealed, 'partner:ptn_1:webhook_secret')).toBe('whsec_abc');
  });

  it('detects a changed ciphertext and a ciphertext moved to another row', () => {
    const sealed = box.encrypt('secret', 'channel:chn_a:meta_token');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0]! ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => box.decrypt(parts.join('.'), 'channel:chn_a:meta_token')).toThrow('failed authentication');
    expect(() => box.decrypt(sealed, 'channel:chn_b:meta_token')).toThrow('failed authentication');
  });

  it('decrypts with a previous secret after rotation and reports what needs re-sealing', () => {
    const old = box.encrypt('secret', 'ctx');
    const rotated = new SecretBox([
      'the-new-hub-secret-that-is-long-enough',
      'a-hub-secret-that-is-long-enough-1234',
    ]);
    expect(rotated.decrypt(old, 'ctx')).toBe('secret');
    expect(rotated.needsRotation(old)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('secret', 'ctx'))).toBe(false);
    expect(() => new SecretBox(['yet-another-secret-long-enough-000']).decrypt(old, 'ctx')).toThrow(
      'unknown key',
    );
  });
});
