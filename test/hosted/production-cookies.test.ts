import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

describe('hosted-page cookies in production, behind a TLS-terminating proxy', () => {
  const hub = useTestHub({
    NODE_ENV: 'production',
    TRUST_PROXY: 'loopback',
    PUBLIC_URL: 'https://hub.example.com',
  });

  it('sets a __Host- cookie that is Secure, HttpOnly and SameSite=Lax, only over https', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps);
    const https = await request(hub.app).get(`/permissions/${partner.id}`).set('X-Forwarded-Proto', 'https');
    const cookie = https.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/^__Host-hub\.sid=/);
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Domain=');
    // Over plain http the session cookie is never sent.
    const plain = await request(hub.app).get(`/permissions/${partner.id}`);
    expect(plain.headers['set-cookie']).toBeUndefined();
  });
});
