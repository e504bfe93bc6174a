import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { noStore } from '../../server/http/no-store.ts';
import { headersSetBy } from '../../server/http/static-headers.ts';

describe('headersSetBy', () => {
  it('takes the headers helmet and no-store set, as name/value pairs, once each', () => {
    const headers = headersSetBy(helmet(), noStore);
    const pairs = new Map<string, string>();
    for (let i = 0; i < headers.length; i += 2) pairs.set(headers[i]!.toLowerCase(), headers[i + 1]!);
    expect(pairs.size).toBe(headers.length / 2);
    expect(pairs.get('x-content-type-options')).toBe('nosniff');
    expect(pairs.get('cache-control')).toBe('no-store');
    expect(pairs.get('pragma')).toBe('no-cache');
    expect(pairs.get('content-security-policy')).toContain("default-src 'self'");
    // helmet removes X-Powered-By rather than setting it.
    expect(pairs.has('x-powered-by')).toBe(false);
  });

  it('lets a later middleware replace or remove what an earlier one set', () => {
    const first = (_req: unknown, res: { setHeader(n: string, v: string): void }, next: () => void) => {
      res.setHeader('X-A', '1');
      res.setHeader('X-B', '1');
      next();
    };
    const second = (
      _req: unknown,
      res: { setHeader(n: string, v: string): void; removeHeader(n: string): void },
      next: () => void,
    ) => {
      res.setHeader('x-a', '2');
      res.removeHeader('X-B');
      next();
    };
    expect(headersSetBy(first, second)).toEqual(['x-a', '2']);
  });

  it('refuses a middleware whose headers are not static (it answers, or goes on later)', () => {
    const answers = () => {};
    expect(() => headersSetBy(answers)).toThrow(/did not go on synchronously/);
    const fails = (_req: unknown, _res: unknown, next: (err?: unknown) => void) => next(new Error('no'));
    expect(() => headersSetBy(fails)).toThrow('no');
  });
});
