import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendLinkedDeviceText } from '../../server/linked-devices/linked-device-actions.service.ts';
import { LinkedDeviceSession } from '../../server/linked-devices/linked-device-session.entity.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { readSession, sessionEvents, startTestRunner, waitForSession } from '../support/linked-devices.ts';

const ACTOR = { type: 'operator', id: 'test' } as const;

describe('sandbox control API for linked devices: /sandbox/linked-devices/sessions/:id/…', () => {
  // One business pairs a device per play here, more than the default 3 at once.
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true', LINKED_DEVICE_PAIRING_PER_CLIENT: '50' });
  let runner: LinkedDeviceRunner;
  let partner: Partner;
  let client: Client;
  let auth: { authorization: string };

  beforeAll(async () => {
    partner = (await partnerFactory(hub.em(), hub.deps)).partner;
    client = await clientFactory(hub.em(), partner);
    runner = startTestRunner(hub);
    auth = { authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}` };
  });
  afterAll(() => runner.stop());

  const base = (id: string) => `/sandbox/linked-devices/sessions/${id}`;
  const post = (id: string, play: string, body?: object) => {
    const req = request(hub.app)
      .post(`${base(id)}/${play}`)
      .set(auth);
    return body === undefined ? req : req.send(body);
  };
  const pairingSession = async (pairingPhoneNumber?: string) => {
    const session = await createLinkedDeviceSession(
      hub.em(),
      hub.deps,
      { partner, client, name: 'Front desk', ...(pairingPhoneNumber ? { pairingPhoneNumber } : {}) },
      ACTOR,
    );
    await waitForSession(hub, session.id, 'QR', (s) => !!(s.qr || s.pairingCode));
    return session;
  };
  const connectedSession = async (phone: string) => {
    const session = await pairingSession();
    expect((await post(session.id, 'scan', { phone_number: phone })).status).toBe(200);
    await waitForSession(hub, session.id, 'CONNECTED');
    return session;
  };

  it('renders the current QR as PNG and SVG, then pairs on scan and no longer shows one', async () => {
    const session = await pairingSession();
    const png = await request(hub.app)
      .get(`${base(session.id)}/qr.png`)
      .set(auth)
      .buffer(true);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['cache-control']).toBe('no-store');
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    const svg = await request(hub.app)
      .get(`${base(session.id)}/qr.svg`)
      .set(auth)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => done(null, text));
      });
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg/);

    const scanned = await post(session.id, 'scan', {
      phone_number: '+49 151 1234-5678',
      name: 'Corner Shop',
    });
    expect(scanned.status).toBe(200);
    expect(scanned.body).toEqual({ session_id: session.id });
    const connected = await waitForSession(hub, session.id, 'CONNECTED');
    expect(connected).toMatchObject({ phoneNumber: '4915112345678', pushName: 'Corner Shop' });

    const gone = await request(hub.app)
      .get(`${base(session.id)}/qr.png`)
      .set(auth);
    expect(gone.status).toBe(409);
    expect(gone.body.error).toMatchObject({ code: 'conflict', details: { status: 'CONNECTED' } });
    // A QR nobody shows any more cannot be scanned.
    const again = await post(session.id, 'scan', { phone_number: '4915112345678' });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
  });

  it('pairs with a pairing code typed on the phone (dashes and case ignored)', async () => {
    const session = await pairingSession('+4915122223333');
    const code = (await readSession(hub.em(), session.id)).pairingCode!;
    const qr = await request(hub.app)
      .get(`${base(session.id)}/qr.svg`)
      .set(auth);
    expect(qr.status).toBe(409);
    expect(qr.body.error.message).toMatch(/pairs with a code/);
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`;
    const res = await post(session.id, 'pairing-code', { code: typed, name: 'Bakery' });
    expect(res.status).toBe(200);
    expect(await waitForSession(hub, session.id, 'CONNECTED')).toMatchObject({
      phoneNumber: '4915122223333',
      pushName: 'Bakery',
    });
  });

  it('relays an inbound message, echoes sent messages, and plays offline, online and logged out', async () => {
    const session = await connectedSession('4915144445555');
    const inbound = await post(session.id, 'inbound', {
      from: '+4917612345678',
      text: 'Hi',
      push_name: 'Jane',
    });
    expect(inbound.status).toBe(200);
    expect(inbound.body).toEqual({
      session_id: session.id,
      wa_message_id: expect.any(String),
      delivered: true,
    });
    await expect
      .poll(async () => (await sessionEvents(hub, 'message.received', session.id)).length, { timeout: 5_000 })
      .toBe(1);

    const message = await sendLinkedDeviceText(hub.deps, session.id, '4917612345678', 'Your order is ready');
    const sent = await request(hub.app)
      .get(`${base(session.id)}/sent`)
      .set(auth);
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({
      session_id: session.id,
      messages: [
        {
          wa_message_id: message.waMessageId,
          to: '4917612345678',
          text: 'Your order is ready',
          at: expect.any(String),
        },
      ],
    });

    expect((await post(session.id, 'phone-offline')).body).toEqual({ session_id: session.id, online: false });
    const held = await post(session.id, 'inbound', { from: '4917612345678', type: 'image' });
    expect(held.body.delivered).toBe(false);
    expect((await post(session.id, 'phone-online', {})).body).toEqual({
      session_id: session.id,
      online: true,
    });

    expect((await post(session.id, 'logged-out')).body).toEqual({ session_id: session.id, logged_out: true });
    // Unlinked from the phone while the session should run: a new QR code at once.
    await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    const statuses = (await sessionEvents(hub, 'session.status', session.id)).map((d) => d.status);
    expect(statuses.slice(-2)).toEqual(['LOGGED_OUT', 'QR']);
  });

  it('refuses bad input with stable codes before anything is queued', async () => {
    const session = await pairingSession();
    const cases: [string, object | undefined, number, string][] = [
      ['scan', {}, 400, 'validation_failed'],
      ['scan', { phone_number: 'not a number' }, 400, 'validation_failed'],
      ['scan', { phone_number: '4915112345678', extra: 1 }, 400, 'validation_failed'],
      ['scan', { phone_number: '49151\u0000' }, 400, 'validation_failed'],
      ['pairing-code', { code: 'short' }, 400, 'validation_failed'],
      ['inbound', { from: '4917612345678' }, 400, 'validation_failed'],
      ['inbound', { from: '4917612345678', text: 'x'.repeat(4097) }, 400, 'validation_failed'],
      ['inbound', { from: '4917612345678', type: 'Bad Type!' }, 400, 'validation_failed'],
      ['phone-offline', { online: false }, 400, 'validation_failed'],
      ['sent', undefined, 404, 'not_found'],
    ];
    for (const [play, body, status, code] of cases) {
      const res = await post(session.id, play, body);
      expect([play, res.status, res.body.error?.code]).toEqual([play, status, code]);
    }
    const malformed = await request(hub.app)
      .post(`${base(session.id)}/scan`)
      .set(auth)
      .set('content-type', 'application/json')
      .send('{"phone_number":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
  });

  it('answers 404 for unknown or malformed session ids, 401 without the app token', async () => {
    for (const id of ['sess_doesnotexist', 'nope', '%E2%80%AE']) {
      const res = await post(id, 'scan', { phone_number: '4915112345678' });
      expect([id, res.status, res.body.error.code]).toEqual([id, 404, 'not_found']);
    }
    expect(
      (
        await request(hub.app)
          .get(`${base('sess_doesnotexist')}/qr.png`)
          .set(auth)
      ).status,
    ).toBe(404);
    expect(
      (
        await request(hub.app)
          .get(`${base('sess_doesnotexist')}/qr.gif`)
          .set(auth)
      ).status,
    ).toBe(404);
    const session = await pairingSession();
    const anonymous = await request(hub.app)
      .post(`${base(session.id)}/scan`)
      .send({ phone_number: '4915112345678' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const image = await request(hub.app).get(`${base(session.id)}/qr.png`);
    expect(image.status).toBe(401);
  });

  it('refuses a play on a session that is not running', async () => {
    const session = await connectedSession('4915166667777');
    await post(session.id, 'logged-out');
    await waitForSession(hub, session.id, 'QR');
    await hub.em().nativeUpdate(LinkedDeviceSession, { id: session.id }, { desired: 'stopped' });
    const res = await post(session.id, 'phone-offline');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });
});

describe('sandbox control API for linked devices while LINKED_DEVICES_ENABLED is off', () => {
  const hub = useTestHub();

  it('answers 404 linked_devices_disabled, token or not', async () => {
    const auth = { authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}` };
    for (const req of [
      request(hub.app)
        .post('/sandbox/linked-devices/sessions/sess_x/scan')
        .set(auth)
        .send({ phone_number: '4915112345678' }),
      request(hub.app).get('/sandbox/linked-devices/sessions/sess_x/qr.png'),
    ]) {
      const res = await req;
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('linked_devices_disabled');
    }
  });
});
