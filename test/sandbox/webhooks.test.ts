import { createHmac, randomInt } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import { useTestHub } from '../support/hub.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const hub = useTestHub({}, { listen: true });

/**
 * A callback URL that behaves like a correct Meta webhook receiver: it echoes the
 * verification challenge when the verify token matches and records every POST.
 */
class CallbackReceiver {
  readonly posts: { headers: http.IncomingHttpHeaders; rawBody: string }[] = [];
  readonly verifications: URLSearchParams[] = [];
  readonly #server: http.Server;

  constructor(verifyToken: string) {
    this.#server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (req.method === 'GET') {
        this.verifications.push(url.searchParams);
        const ok =
          url.searchParams.get('hub.mode') === 'subscribe' &&
          url.searchParams.get('hub.verify_token') === verifyToken;
        res.writeHead(ok ? 200 : 403).end(ok ? url.searchParams.get('hub.challenge') : 'wrong token');
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.posts.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('EVENT_RECEIVED');
      });
    });
  }

  async start(): Promise<this> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/whatsapp`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

const graph = (path: string) => `${hub.url}/sandbox/graph/v23.0${path}`;
const appToken = () => `${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`;

async function graphCall(path: string, token: string, init: { method?: string; json?: unknown } = {}) {
  const res = await fetch(graph(path), {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

async function control(path: string, json: unknown, token: string | null = appToken()) {
  const res = await fetch(`${hub.url}/sandbox/control${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(json),
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

async function onboard(digits = `1555${String(randomInt(0, 1e7)).padStart(7, '0')}`) {
  const res = await fetch(`${hub.url}/sandbox/embedded-signup/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ business_name: 'Acme', phone_number: digits, display_name: 'Acme' }),
  });
  const signup = (await res.json()) as {
    code: string;
    business_id: string;
    waba_id: string;
    phone_number_id: string;
  };
  const q = new URLSearchParams({
    client_id: hub.deps.meta.appId,
    client_secret: hub.deps.meta.appSecret,
    code: signup.code,
  });
  const token = ((await (await fetch(graph(`/oauth/access_token?${q}`))).json()) as { access_token: string })
    .access_token;
  return { ...signup, token, digits };
}

function expectMetaSignature(headers: http.IncomingHttpHeaders, rawBody: string) {
  const expected = `sha256=${createHmac('sha256', hub.deps.meta.appSecret).update(rawBody).digest('hex')}`;
  expect(headers['x-hub-signature-256']).toBe(expected);
  expect(signMetaBody(hub.deps.meta.appSecret, rawBody)).toBe(expected);
  expect(headers['content-type']).toBe('application/json');
}

describe('sandbox Graph: subscribed_apps', () => {
  let receiver: CallbackReceiver;
  beforeAll(async () => {
    receiver = await new CallbackReceiver('let-me-in').start();
  });
  afterAll(() => receiver.close());

  it('verifies an override callback with the hub.challenge handshake before subscribing', async () => {
    const a = await onboard();
    expect((await graphCall(`/${a.waba_id}/subscribed_apps`, a.token)).body).toEqual({ data: [] });

    // As at Meta, an override needs the app subscribed (to its default callback) first.
    const handshakes = receiver.verifications.length;
    const early = await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, {
      method: 'POST',
      json: { override_callback_uri: receiver.url, verify_token: 'let-me-in' },
    });
    expect(early.status).toBe(400);
    expect(early.body).toEqual({
      error: {
        message:
          '(#100) Before override the current callback uri, your app must be subscribed to receive messages for WhatsApp Business Account',
        type: 'OAuthException',
        code: 100,
        fbtrace_id: expect.any(String),
      },
    });
    expect(receiver.verifications).toHaveLength(handshakes);
    expect((await graphCall(`/${a.waba_id}/subscribed_apps`, a.token)).body).toEqual({ data: [] });

    expect(await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, { method: 'POST', json: {} })).toEqual({
      status: 200,
      body: { success: true },
    });
    const res = await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, {
      method: 'POST',
      json: { override_callback_uri: receiver.url, verify_token: 'let-me-in' },
    });
    expect(res).toEqual({ status: 200, body: { success: true } });
    const handshake = receiver.verifications.at(-1)!;
    expect(handshake.get('hub.mode')).toBe('subscribe');
    expect(handshake.get('hub.challenge')).toMatch(/^\d+$/);

    const listed = await graphCall(`/${a.waba_id}/subscribed_apps`, a.token);
    expect(listed.body).toEqual({
      data: [
        {
          whatsapp_business_api_data: {
            id: hub.deps.meta.appId,
            link: expect.any(String),
            name: 'Partner Hub Sandbox',
          },
          override_callback_uri: receiver.url,
        },
      ],
    });

    expect((await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, { method: 'DELETE' })).body).toEqual({
      success: true,
    });
    expect((await graphCall(`/${a.waba_id}/subscribed_apps`, a.token)).body).toEqual({ data: [] });
  });

  it('refuses the subscription when the callback does not echo the challenge', async () => {
    const a = await onboard();
    await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, { method: 'POST', json: {} });
    const wrongToken = await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, {
      method: 'POST',
      json: { override_callback_uri: receiver.url, verify_token: 'guess' },
    });
    expect(wrongToken.status).toBe(400);
    expect(wrongToken.body.error).toMatchObject({
      code: 2200,
      message: expect.stringContaining(
        'Callback verification failed with the following errors: HTTP Status Code = 403',
      ),
    });

    const parrot = await WebhookReceiver.start();
    try {
      parrot.otherwiseRespond({ status: 200, body: 'not the challenge' });
      const wrongBody = await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, {
        method: 'POST',
        json: { override_callback_uri: parrot.url, verify_token: 'x' },
      });
      expect(wrongBody.body.error).toMatchObject({
        code: 2200,
        message: expect.stringContaining('Response does not match challenge'),
      });
    } finally {
      await parrot.close();
    }
    const missingToken = await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, {
      method: 'POST',
      json: { override_callback_uri: receiver.url },
    });
    expect(missingToken.body.error).toMatchObject({
      code: 100,
      message: expect.stringContaining('verify_token'),
    });
    // The failed attempts set no override.
    const listed = await graphCall(`/${a.waba_id}/subscribed_apps`, a.token);
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).not.toHaveProperty('override_callback_uri');
  });
});

describe('sandbox control API', () => {
  let receiver: CallbackReceiver;
  beforeAll(async () => {
    receiver = await new CallbackReceiver('verify-me').start();
  });
  afterAll(() => receiver.close());

  async function subscribed() {
    const a = await onboard();
    await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, { method: 'POST', json: {} });
    const sub = await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, {
      method: 'POST',
      json: { override_callback_uri: receiver.url, verify_token: 'verify-me' },
    });
    expect(sub.status).toBe(200);
    return a;
  }

  it('needs the app token', async () => {
    const body = { waba_id: '1' };
    for (const token of [null, 'EAAGsomething', `${hub.deps.meta.appId}|wrong`]) {
      const res = await control('/tokens/expire', body, token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('rejects bad input with validation_failed and unknown objects with not_found', async () => {
    const bad = await control('/messages', { phone_number_id: 'abc', from: '12' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['phone_number_id', 'from']),
    );
    const neither = await control('/messages', { phone_number_id: '1', from: '447700900123' });
    expect(neither.body.error.code).toBe('validation_failed');
    const badEvent = await control('/account_update', { waba_id: '1', event: 'SOMETHING' });
    expect(badEvent.body.error.code).toBe('validation_failed');
    const unknown = await control('/messages', { phone_number_id: '1', from: '447700900123', text: 'hi' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('sends message webhooks only for WABAs the app subscribed to', async () => {
    const a = await onboard();
    const res = await control('/messages', {
      phone_number_id: a.phone_number_id,
      from: '447700900123',
      text: 'hi',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });

  it("delivers a customer's message to the override callback, signed with the app secret", async () => {
    const a = await subscribed();
    const before = receiver.posts.length;
    const res = await control('/messages', {
      phone_number_id: a.phone_number_id,
      from: '+44 7700 900123',
      name: 'Jane',
      text: 'Do you deliver on Sundays?',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivered: true, status: 200, url: receiver.url });
    expect(receiver.posts.length).toBe(before + 1);
    const { headers, rawBody } = receiver.posts.at(-1)!;
    expectMetaSignature(headers, rawBody);
    const payload = JSON.parse(rawBody);
    expect(payload).toEqual(res.body.payload);
    expect(payload).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: a.waba_id,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: a.digits, phone_number_id: a.phone_number_id },
                contacts: [{ profile: { name: 'Jane' }, wa_id: '447700900123' }],
                messages: [
                  {
                    from: '447700900123',
                    id: expect.stringMatching(/^wamid\./),
                    timestamp: String(Math.floor(hub.clock.now().getTime() / 1000)),
                    type: 'text',
                    text: { body: 'Do you deliver on Sundays?' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });

    // A raw Cloud API message object is sent as given, with from/id/timestamp filled in.
    const image = await control('/messages', {
      phone_number_id: a.phone_number_id,
      from: '447700900123',
      message: { type: 'image', image: { id: '1234', mime_type: 'image/jpeg' } },
    });
    const message = image.body.payload.entry[0].changes[0].value.messages[0];
    expect(message).toMatchObject({ from: '447700900123', type: 'image', image: { id: '1234' } });
    expect(message.id).toMatch(/^wamid\./);
  });

  it('delivers statuses, with errors for failed ones', async () => {
    const a = await subscribed();
    const delivered = await control('/statuses', {
      phone_number_id: a.phone_number_id,
      message_id: 'wamid.abc',
      status: 'delivered',
      recipient_id: '447700900123',
    });
    expect(delivered.body.delivered).toBe(true);
    const { headers, rawBody } = receiver.posts.at(-1)!;
    expectMetaSignature(headers, rawBody);
    expect(JSON.parse(rawBody).entry[0].changes[0].value.statuses[0]).toMatchObject({
      id: 'wamid.abc',
      status: 'delivered',
      recipient_id: '447700900123',
      timestamp: expect.stringMatching(/^\d+$/),
    });

    const failed = await control('/statuses', {
      phone_number_id: a.phone_number_id,
      message_id: 'wamid.def',
      status: 'failed',
      recipient_id: '447700900123',
    });
    const status = failed.body.payload.entry[0].changes[0].value.statuses[0];
    expect(status.status).toBe('failed');
    expect(status.errors).toEqual([expect.objectContaining({ code: 131026, title: expect.any(String) })]);
  });

  it('PARTNER_REMOVED reaches the app callback (never the override), then unsubscribes the app and revokes the WABA tokens', async () => {
    const a = await subscribed();
    const postsBefore = receiver.posts.length;
    const res = await control('/account_update', { waba_id: a.waba_id, event: 'PARTNER_REMOVED' });
    // Meta never sends account_update to an override callback: the WABA's override is the receiver.
    expect(res.body).toMatchObject({ delivered: true, status: 200, url: hub.deps.meta.callbackUrl });
    expect(receiver.posts.length).toBe(postsBefore);
    expect(res.body.payload.entry[0]).toEqual({
      id: a.waba_id,
      changes: [
        {
          field: 'account_update',
          value: {
            event: 'PARTNER_REMOVED',
            waba_info: { waba_id: a.waba_id, owner_business_id: a.business_id },
          },
        },
      ],
    });

    const revoked = await graphCall(`/${a.phone_number_id}`, a.token);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toMatchObject({ code: 190, error_subcode: 458 });
    const debug = await graphCall(`/debug_token?input_token=${a.token}`, appToken());
    expect(debug.body.data.is_valid).toBe(false);

    // The business reconnects: same objects, a new token, and no subscription left.
    const again = await onboard(a.digits);
    expect(again.waba_id).toBe(a.waba_id);
    expect(again.token).not.toBe(a.token);
    expect((await graphCall(`/${a.waba_id}/subscribed_apps`, again.token)).body).toEqual({ data: [] });
  });

  it('DISABLED_UPDATE locks the WABA', async () => {
    const a = await subscribed();
    await graphCall(`/${a.phone_number_id}/register`, a.token, {
      method: 'POST',
      json: { messaging_product: 'whatsapp', pin: '123456' },
    });
    const res = await control('/account_update', { waba_id: a.waba_id, event: 'DISABLED_UPDATE' });
    expect(res.body.payload.entry[0].changes[0].value.ban_info.waba_ban_state).toEqual(['DISABLE']);
    const send = await graphCall(`/${a.phone_number_id}/messages`, a.token, {
      method: 'POST',
      json: { messaging_product: 'whatsapp', to: '447700900123', text: { body: 'hi' } },
    });
    expect(send.body.error).toMatchObject({ code: 131031 });
    const health = await graphCall(`/${a.phone_number_id}?fields=health_status`, a.token);
    expect(health.body.health_status.can_send_message).toBe('BLOCKED');
  });

  it("sends to the hub's own callback URL when no override is set", async () => {
    const a = await onboard();
    await graphCall(`/${a.waba_id}/subscribed_apps`, a.token, { method: 'POST' });
    const res = await control('/messages', {
      phone_number_id: a.phone_number_id,
      from: '447700900123',
      text: 'hi',
    });
    expect(res.status).toBe(200);
    expect(res.body.url).toBe(hub.deps.meta.callbackUrl);
    expect(res.body.url).toBe(`${hub.url}/meta/webhook`);
    // The hub answered (whatever its relay does with it): an HTTP status came back.
    expect(res.body.status).toEqual(expect.any(Number));
  });

  it('expires every token of a WABA, which the Graph then reports as 190/463', async () => {
    const a = await onboard();
    const b = await onboard();
    expect((await graphCall(`/${a.phone_number_id}`, a.token)).status).toBe(200);
    expect(await control('/tokens/expire', { waba_id: a.waba_id })).toEqual({
      status: 200,
      body: { expired: 1 },
    });

    const res = await graphCall(`/${a.phone_number_id}`, a.token);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({
      code: 190,
      error_subcode: 463,
      type: 'OAuthException',
      message: expect.stringMatching(/^Error validating access token: Session has expired on /),
    });
    const debug = await graphCall(`/debug_token?input_token=${a.token}`, appToken());
    expect(debug.body.data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 463 } });
    // Other WABAs' tokens are untouched.
    expect((await graphCall(`/${b.phone_number_id}`, b.token)).status).toBe(200);
    expect((await control('/tokens/expire', { waba_id: '1234' })).status).toBe(404);
  });
});
