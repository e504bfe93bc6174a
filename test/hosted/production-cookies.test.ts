import request, { type Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const cookiesOf = (res: Response): string[] => [res.headers['set-cookie'] ?? []].flat();

function expectHostCookie(cookie: string, name: string) {
  expect(cookie).toMatch(new RegExp(`^__Host-${name.replace('.', '\\.')}=`));
  expect(cookie).toContain('Path=/');
  expect(cookie).toContain('Secure');
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('SameSite=Lax');
  expect(cookie).not.toContain('Domain=');
}

describe('hosted-page cookies in production, behind a TLS-terminating proxy', () => {
  const hub = useTestHub({
    NODE_ENV: 'production',
    TRUST_PROXY: 'loopback',
    PUBLIC_URL: 'https://hub.example.com',
  });

  it('sets __Host- cookies that are Secure, HttpOnly and SameSite=Lax; the session one only over https', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps);
    const page = await request(hub.app).get(`/permissions/${partner.id}`).set('X-Forwarded-Proto', 'https');
    // An anonymous page sets only the CSRF cookie.
    expect(page.headers['set-cookie']).toHaveLength(1);
    const csrfCookie = page.headers['set-cookie']![0]!;
    expectHostCookie(csrfCookie, 'hub.csrf');

    const signup = (email: string, proto: string) =>
      request(hub.app)
        .post(`/permissions/${partner.id}/signup`)
        .set({ 'X-Forwarded-Proto': proto, Cookie: csrfCookie.split(';')[0]! })
        .type('form')
        .send({ _csrf: csrfOf(page.text), email, password: 'correct horse battery staple' });
    const https = await signup('secure@bakery.example', 'https');
    expect(https.status).toBe(303);
    expectHostCookie(cookiesOf(https).find((c: string) => c.startsWith('__Host-hub.sid=')) ?? '', 'hub.sid');
    // Over plain http the session cookie is never sent.
    const plain = await signup('plain@bakery.example', 'http');
    expect(plain.status).toBe(303);
    expect(cookiesOf(plain).some((c: string) => c.includes('hub.sid'))).toBeFalsy();
  });
});
