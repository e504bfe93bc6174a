import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub({}, { listen: true });

async function complete(body: unknown) {
  const res = await fetch(`${hub.url}/sandbox/embedded-signup/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

const newNumber = () => `1555${String(randomInt(0, 1e7)).padStart(7, '0')}`;

function dialogUrl(params: Record<string, string>) {
  return `${hub.url}/sandbox/embedded-signup?${new URLSearchParams(params)}`;
}

describe('simulated Embedded Signup: complete', () => {
  it('creates a business, WABA and number and returns a code for them', async () => {
    const res = await complete({
      business_name: 'Acme',
      phone_number: newNumber(),
      display_name: 'Acme',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      code: expect.stringMatching(/^AQ[\w-]{100,}$/),
      business_id: expect.stringMatching(/^\d{15,16}$/),
      waba_id: expect.stringMatching(/^\d{15,16}$/),
      phone_number_id: expect.stringMatching(/^\d{15,16}$/),
    });
    expect(new Set([res.body.business_id, res.body.waba_id, res.body.phone_number_id]).size).toBe(3);
  });

  it('gives a business signing up its number again the same objects and a new code', async () => {
    const digits = newNumber();
    const first = await complete({ business_name: 'Acme', phone_number: digits, display_name: 'Acme' });
    const second = await complete({
      business_name: 'Acme Ltd',
      phone_number: `+${digits.slice(0, 1)} (${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`,
      display_name: 'Acme',
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      business_id: first.body.business_id,
      waba_id: first.body.waba_id,
      phone_number_id: first.body.phone_number_id,
    });
    expect(second.body.code).not.toBe(first.body.code);
  });

  it('finishes without a phone number (FINISH_ONLY_WABA): a WABA with no number, and a code for it', async () => {
    const res = await complete({ business_name: 'Acme', without_phone_number: true });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      code: expect.stringMatching(/^AQ[\w-]{100,}$/),
      business_id: expect.stringMatching(/^\d{15,16}$/),
      waba_id: expect.stringMatching(/^\d{15,16}$/),
    });
    const token = (await hub.deps.graph.exchangeCode(res.body.code)).access_token;
    expect(await hub.deps.graph.listPhoneNumbers(res.body.waba_id, token)).toEqual([]);
    const invalid = await complete({ business_name: '', without_phone_number: true });
    expect([invalid.status, invalid.body.error.details.issues[0].path]).toEqual([400, 'business_name']);
  });

  it('answers invalid input with validation_failed and one issue per field', async () => {
    const res = await complete({
      business_name: ' ',
      phone_number: '12ab',
      display_name: 'A',
      connection_type: 'sms',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'business_name',
      'connection_type',
      'display_name',
      'phone_number',
    ]);
    const notJson = await fetch(`${hub.url}/sandbox/embedded-signup/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });
});

describe('simulated Embedded Signup: dialog page and SDK', () => {
  const valid = () => ({
    app_id: hub.deps.meta.appId,
    config_id: hub.deps.meta.configId,
    opener_origin: 'http://127.0.0.1:9',
  });

  it('serves the dialog under the hub CSP, with no inline script, keeping window.opener', async () => {
    const res = await fetch(dialogUrl(valid()));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
    const html = await res.text();
    expect(html).toContain('Partner Hub sandbox');
    expect(html).toMatch(/<script src="\/sandbox\/assets\/signup-dialog\.js"><\/script>/);
    expect(html.match(/<script[^>]*>[^<]+<\/script>/g)).toBeNull();
    expect(html).toContain('data-opener-origin="http://127.0.0.1:9"');

    const script = await fetch(`${hub.url}/sandbox/assets/signup-dialog.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('offers every outcome: finish, finish without a number, cancel at a chosen step, error', async () => {
    const html = await (await fetch(dialogUrl(valid()))).text();
    for (const id of ['finish-without-number', 'cancel', 'simulate-error', 'cancel-step'])
      expect(html).toContain(`id="${id}"`);
    for (const step of ['BUSINESS_ACCOUNT_SETUP', 'PHONE_NUMBER_SETUP', 'PHONE_NUMBER_VERIFICATION'])
      expect(html).toContain(`<option value="${step}">`);
  });

  it('prefills from FB.login extras and escapes what it echoes', async () => {
    const res = await fetch(
      dialogUrl({
        ...valid(),
        extras: JSON.stringify({
          featureType: 'whatsapp_business_app_onboarding',
          setup: { business: { name: '<b>Acme</b> "&"', phone: { code: 1, number: '5550001111' } } },
        }),
      }),
    );
    const html = await res.text();
    expect(html).toContain('value="&lt;b&gt;Acme&lt;/b&gt; &quot;&amp;&quot;"');
    expect(html).toContain('value="+15550001111"');
    expect(html).toMatch(/value="coexistence" checked/);
  });

  it('shows an error page for a wrong app, configuration or opener', async () => {
    for (const wrong of [{ app_id: '1' }, { config_id: '2' }, { opener_origin: 'javascript:alert(1)' }]) {
      const res = await fetch(dialogUrl({ ...valid(), ...wrong }));
      expect(res.status, JSON.stringify(wrong)).toBe(400);
      expect(await res.text()).not.toContain('<form');
    }
  });

  it('serves fb-sdk.js so that pages on other origins can load it', async () => {
    const res = await fetch(`${hub.url}/sandbox/fb-sdk.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await res.text()).toContain('fbAsyncInit');
  });
});
