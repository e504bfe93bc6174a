import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub({}, { listen: true });

const V = 'v23.0';
const graphUrl = (path: string) => `${hub.url}/sandbox/graph/${V}${path}`;
const appToken = () => `${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`;

async function get(path: string, token?: string) {
  const res = await fetch(graphUrl(path), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

async function signUp() {
  const phone = `1555${String(randomInt(0, 1e7)).padStart(7, '0')}`;
  const res = await fetch(`${hub.url}/sandbox/embedded-signup/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      business_name: 'Acme Bakery',
      phone_number: `+${phone}`,
      display_name: 'Acme Bakery',
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as {
    code: string;
    business_id: string;
    waba_id: string;
    phone_number_id: string;
  };
}

function exchange(code: string, overrides: Record<string, string> = {}) {
  const q = new URLSearchParams({
    client_id: hub.deps.meta.appId,
    client_secret: hub.deps.meta.appSecret,
    code,
    ...overrides,
  });
  return get(`/oauth/access_token?${q}`);
}

describe('sandbox Graph: code exchange', () => {
  it('trades a signup code for a non-expiring business token, once', async () => {
    const signup = await signUp();
    const first = await exchange(signup.code);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      access_token: expect.stringMatching(/^EAAG[0-9A-Za-z]{100,}$/),
      token_type: 'bearer',
    });

    const again = await exchange(signup.code);
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({
      type: 'OAuthException',
      code: 100,
      error_subcode: 36009,
      message: 'This authorization code has been used.',
      fbtrace_id: expect.any(String),
    });
  });

  it('refuses a wrong client id or secret before looking at the code', async () => {
    const signup = await signUp();
    const wrongSecret = await exchange(signup.code, { client_secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.body.error).toMatchObject({
      code: 1,
      type: 'OAuthException',
      message: 'Error validating client secret.',
    });
    const wrongApp = await exchange(signup.code, { client_id: '123' });
    expect(wrongApp.body.error).toMatchObject({
      code: 101,
      message: expect.stringMatching(/^Error validating application/),
    });
    // Neither attempt spent the code.
    expect((await exchange(signup.code)).status).toBe(200);
  });

  it('refuses unknown and expired codes', async () => {
    const unknown = await exchange('AQnot-a-real-code');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 100,
      error_subcode: 36008,
      message: 'Invalid verification code format.',
    });

    const signup = await signUp();
    hub.clock.advance(11 * 60 * 1000);
    const expired = await exchange(signup.code);
    expect(expired.status).toBe(400);
    expect(expired.body.error).toMatchObject({
      code: 100,
      error_subcode: 36007,
      message: 'This authorization code has expired.',
    });
  });

  it('issues the app token for client credentials', async () => {
    const res = await get(
      `/oauth/access_token?${new URLSearchParams({ client_id: hub.deps.meta.appId, client_secret: hub.deps.meta.appSecret, grant_type: 'client_credentials' })}`,
    );
    expect(res.body).toEqual({ access_token: appToken(), token_type: 'bearer' });
  });
});

describe('sandbox Graph: debug_token', () => {
  it("describes a business token's granular scopes: exactly its WABA and business", async () => {
    const signup = await signUp();
    const other = await signUp();
    const { access_token } = (await exchange(signup.code)).body;
    const res = await get(`/debug_token?input_token=${access_token}`, appToken());
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      app_id: hub.deps.meta.appId,
      type: 'SYSTEM_USER',
      application: 'Partner Hub Sandbox',
      data_access_expires_at: 0,
      expires_at: 0,
      is_valid: true,
      issued_at: Math.floor(hub.clock.now().getTime() / 1000),
      user_id: expect.stringMatching(/^\d{15,16}$/),
      scopes: ['whatsapp_business_management', 'whatsapp_business_messaging', 'business_management'],
      granular_scopes: [
        { scope: 'whatsapp_business_management', target_ids: [signup.waba_id] },
        { scope: 'whatsapp_business_messaging', target_ids: [signup.waba_id] },
        { scope: 'business_management', target_ids: [signup.business_id] },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain(other.waba_id);
    for (const id of [signup.business_id, signup.waba_id, signup.phone_number_id])
      expect(id).toMatch(/^\d{15,16}$/);
  });

  it('answers 200 with is_valid false for an unknown token, as Meta does', async () => {
    const res = await get('/debug_token?input_token=EAAGnonsense', appToken());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { is_valid: false, error: { code: 190, message: expect.any(String) }, scopes: [] },
    });
  });

  it('needs the app token as the caller', async () => {
    const signup = await signUp();
    const { access_token } = (await exchange(signup.code)).body;
    const asUser = await get(`/debug_token?input_token=${access_token}`, access_token);
    expect(asUser.status).toBe(400);
    expect(asUser.body.error.code).toBe(100);

    const anonymous = await get(`/debug_token?input_token=${access_token}`);
    expect(anonymous.body.error).toMatchObject({ code: 104, type: 'OAuthException' });

    const badSecret = await get(`/debug_token?input_token=${access_token}`, `${hub.deps.meta.appId}|wrong`);
    expect(badSecret.status).toBe(401);
    expect(badSecret.body.error).toMatchObject({ code: 190 });

    // access_token as a query parameter works like the header.
    const viaQuery = await get(
      `/debug_token?input_token=${access_token}&access_token=${encodeURIComponent(appToken())}`,
    );
    expect(viaQuery.body.data.is_valid).toBe(true);
  });
});
