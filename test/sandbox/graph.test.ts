import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub({}, { listen: true });

const graphUrl = (path: string, version = 'v23.0') => `${hub.url}/sandbox/graph/${version}${path}`;

interface Call {
  method?: string;
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  version?: string;
}

async function call(path: string, { method = 'GET', token, json, form, version }: Call = {}) {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  let body: string | undefined;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(graphUrl(path, version), { method, headers, body });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

interface Onboarded {
  token: string;
  business_id: string;
  waba_id: string;
  phone_number_id: string;
  digits: string;
}

async function onboard(connection_type: 'cloud_api' | 'coexistence' = 'cloud_api'): Promise<Onboarded> {
  const digits = `1555${String(randomInt(0, 1e7)).padStart(7, '0')}`;
  const res = await fetch(`${hub.url}/sandbox/embedded-signup/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      business_name: 'Acme',
      phone_number: digits,
      display_name: 'Acme Support',
      connection_type,
    }),
  });
  const signup = (await res.json()) as Omit<Onboarded, 'token' | 'digits'> & { code: string };
  const q = new URLSearchParams({
    client_id: hub.deps.meta.appId,
    client_secret: hub.deps.meta.appSecret,
    code: signup.code,
  });
  const token = (await call(`/oauth/access_token?${q}`)).body.access_token as string;
  return { ...signup, token, digits };
}

const unsupported = (method: string, id: string) => ({
  code: 100,
  error_subcode: 33,
  type: 'GraphMethodException',
  message: expect.stringContaining(`Unsupported ${method} request. Object with ID '${id}' does not exist`),
});

describe('sandbox Graph: phone numbers', () => {
  it("lists a WABA's numbers with Meta's default fields and cursors", async () => {
    const a = await onboard();
    const res = await call(`/${a.waba_id}/phone_numbers`, { token: a.token });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        verified_name: 'Acme Support',
        code_verification_status: 'VERIFIED',
        display_phone_number: `+1 ${a.digits.slice(1, 4)}-${a.digits.slice(4, 7)}-${a.digits.slice(7)}`,
        quality_rating: 'GREEN',
        platform_type: 'NOT_APPLICABLE',
        throughput: { level: 'STANDARD' },
        last_onboarded_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/),
        id: a.phone_number_id,
      },
    ]);
    expect(res.body.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
  });

  it('answers a phone number with id and exactly the requested fields', async () => {
    const a = await onboard();
    const res = await call(`/${a.phone_number_id}?fields=status,is_on_biz_app,name_status,health_status`, {
      token: a.token,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'PENDING',
      is_on_biz_app: false,
      name_status: 'APPROVED',
      health_status: {
        can_send_message: 'BLOCKED',
        entities: [
          expect.objectContaining({
            entity_type: 'PHONE_NUMBER',
            id: a.phone_number_id,
            can_send_message: 'BLOCKED',
          }),
          { entity_type: 'WABA', id: a.waba_id, can_send_message: 'AVAILABLE' },
          { entity_type: 'BUSINESS', id: a.business_id, can_send_message: 'AVAILABLE' },
          { entity_type: 'APP', id: hub.deps.meta.appId, can_send_message: 'AVAILABLE' },
        ],
      },
      id: a.phone_number_id,
    });

    const unknownField = await call(`/${a.phone_number_id}?fields=status,colour`, { token: a.token });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error).toMatchObject({
      code: 100,
      message: expect.stringContaining('(colour)'),
    });
  });

  it('reads the WABA and business the token is scoped to', async () => {
    const a = await onboard();
    const waba = await call(`/${a.waba_id}?fields=name,owner_business_info`, { token: a.token });
    expect(waba.body).toEqual({
      name: 'Acme',
      owner_business_info: { name: 'Acme', id: a.business_id },
      id: a.waba_id,
    });
    const business = await call(`/${a.business_id}`, { token: a.token });
    expect(business.body).toEqual({ id: a.business_id, name: 'Acme' });
  });

  it("treats another business's objects exactly like missing ones", async () => {
    const a = await onboard();
    const b = await onboard();
    for (const path of [
      `/${b.waba_id}/phone_numbers`,
      `/${b.phone_number_id}`,
      `/${b.waba_id}`,
      `/${b.business_id}`,
    ]) {
      const res = await call(path, { token: a.token });
      expect(res.status, path).toBe(400);
      expect(res.body.error, path).toMatchObject(unsupported('get', path.split('/')[1]!));
    }
    const missing = await call('/1234567890123456', { token: a.token });
    expect(missing.body.error).toMatchObject(unsupported('get', '1234567890123456'));
    const subscribe = await call(`/${b.waba_id}/subscribed_apps`, { method: 'POST', token: a.token });
    expect(subscribe.body.error).toMatchObject(unsupported('post', b.waba_id));
  });

  it('rejects missing, unparseable and app tokens, and unknown versions and paths', async () => {
    const a = await onboard();
    const none = await call(`/${a.phone_number_id}`);
    expect(none.body.error).toMatchObject({ code: 104, type: 'OAuthException' });
    const garbage = await call(`/${a.phone_number_id}`, { token: 'EAAGdoesnotexist' });
    expect(garbage.status).toBe(401);
    expect(garbage.body.error).toMatchObject({
      code: 190,
      type: 'OAuthException',
      message: 'Invalid OAuth access token - Cannot parse access token',
    });
    const app = await call(`/${a.phone_number_id}`, {
      token: `${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
    });
    expect(app.body.error).toMatchObject(unsupported('get', a.phone_number_id));
    const v = await call(`/${a.phone_number_id}`, { token: a.token, version: 'latest' });
    expect(v.body.error).toMatchObject({ code: 2500 });
    const other = await call(`/${a.phone_number_id}`, { token: a.token, version: 'v19.0' });
    expect(other.status).toBe(200);
    const edge = await call(`/${a.waba_id}/message_templates_v9`, { token: a.token });
    expect(edge.body.error).toMatchObject({ code: 2500 });
  });
});

describe('sandbox Graph: register', () => {
  it('connects the number with a 6-digit PIN and checks the PIN afterwards', async () => {
    const a = await onboard();
    const missingPin = await call(`/${a.phone_number_id}/register`, {
      method: 'POST',
      token: a.token,
      json: { messaging_product: 'whatsapp' },
    });
    expect(missingPin.body.error).toMatchObject({
      code: 100,
      message: '(#100) The parameter pin is required',
    });
    const shortPin = await call(`/${a.phone_number_id}/register`, {
      method: 'POST',
      token: a.token,
      json: { messaging_product: 'whatsapp', pin: '123' },
    });
    expect(shortPin.body.error).toMatchObject({ code: 100, message: expect.stringContaining('pin') });
    const noProduct = await call(`/${a.phone_number_id}/register`, {
      method: 'POST',
      token: a.token,
      json: { pin: '123456' },
    });
    expect(noProduct.body.error).toMatchObject({
      code: 100,
      message: expect.stringContaining('messaging_product'),
    });

    // Graph takes form-encoded bodies too.
    const ok = await call(`/${a.phone_number_id}/register`, {
      method: 'POST',
      token: a.token,
      form: { messaging_product: 'whatsapp', pin: '123456' },
    });
    expect(ok).toEqual({ status: 200, body: { success: true } });
    const phone = await call(`/${a.phone_number_id}?fields=status,platform_type,health_status`, {
      token: a.token,
    });
    expect(phone.body).toMatchObject({
      status: 'CONNECTED',
      platform_type: 'CLOUD_API',
      health_status: { can_send_message: 'AVAILABLE' },
    });

    const otherPin = await call(`/${a.phone_number_id}/register`, {
      method: 'POST',
      token: a.token,
      json: { messaging_product: 'whatsapp', pin: '654321' },
    });
    expect(otherPin.body.error).toMatchObject({ code: 133005 });
  });

  it('allows 10 register calls per number in 72 hours, counting every call', async () => {
    const a = await onboard();
    const register = (pin = '111111') =>
      call(`/${a.phone_number_id}/register`, {
        method: 'POST',
        token: a.token,
        json: { messaging_product: 'whatsapp', pin },
      });
    // A failed call counts too.
    expect((await register('12')).body.error.code).toBe(100);
    for (let i = 2; i <= 10; i++) expect((await register()).status, `call ${i}`).toBe(200);
    const eleventh = await register();
    expect(eleventh.status).toBe(400);
    expect(eleventh.body.error).toMatchObject({
      code: 133016,
      message: '(#133016) Account register deregister rate limit exceeded',
      error_data: { messaging_product: 'whatsapp', details: expect.any(String) },
    });

    hub.clock.advance(71 * 3600 * 1000);
    expect((await register()).body.error.code).toBe(133016);
    hub.clock.advance(3600 * 1000 + 1000);
    expect(await register()).toEqual({ status: 200, body: { success: true } });
  });
});

describe('sandbox Graph: messages', () => {
  const send = (a: Onboarded, json: unknown, token = a.token) =>
    call(`/${a.phone_number_id}/messages`, { method: 'POST', token, json });
  const text = {
    messaging_product: 'whatsapp',
    to: '+44 7700 900123',
    type: 'text',
    text: { body: 'Hello' },
  };

  it('refuses to send from an unregistered number', async () => {
    const a = await onboard();
    const res = await send(a, text);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 133010, message: '(#133010) Account not registered' });
  });

  it('validates like Cloud API and answers with contacts and a wamid', async () => {
    const a = await onboard();
    await call(`/${a.phone_number_id}/register`, {
      method: 'POST',
      token: a.token,
      json: { messaging_product: 'whatsapp', pin: '000000' },
    });
    const cases: [unknown, RegExp][] = [
      [{ ...text, messaging_product: undefined }, /parameter messaging_product is required/],
      [{ ...text, messaging_product: 'sms' }, /messaging_product must be one of \{WHATSAPP\}/],
      [{ ...text, to: undefined }, /parameter to is required/],
      [{ ...text, text: {} }, /text\['body'\] is required/],
      [{ ...text, type: 'hologram' }, /Param type must be one of/],
      [{ ...text, type: 'image' }, /parameter image is required/],
    ];
    for (const [body, message] of cases) {
      const res = await send(a, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe(100);
      expect(res.body.error.message).toMatch(message);
    }

    const ok = await send(a, { messaging_product: 'whatsapp', to: '+44 7700 900123', text: { body: 'Hi' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '+44 7700 900123', wa_id: '447700900123' }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/) }],
    });
    const again = await send(a, text);
    expect(again.body.messages[0].id).not.toBe(ok.body.messages[0].id);
  });

  it("needs messaging permission on the number's WABA", async () => {
    const a = await onboard('coexistence');
    const b = await onboard();
    // Coexistence numbers are connected by the signup itself.
    expect((await send(a, text)).status).toBe(200);
    const res = await send(a, text, b.token);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 10, type: 'OAuthException' });
    const unknown = await call('/999999999999999/messages', { method: 'POST', token: a.token, json: text });
    expect(unknown.body.error).toMatchObject(unsupported('post', '999999999999999'));
  });
});
