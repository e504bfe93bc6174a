import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPartnerHubClient, errorCodeOf, PartnerHubError } from '../../client/src/index.ts';
import { linkedDeviceOperations } from '../../server/api/operations/linked-devices.ts';
import { playOnDevice } from '../../server/linked-devices/linked-device-actions.service.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import {
  channelApiKeyFactory,
  channelFactory,
  clientFactory,
  partnerFactory,
  permissionFactory,
} from '../support/factories.ts';
import { type TestHub, useTestHub } from '../support/hub.ts';
import { readSession, startTestRunner, waitForSession } from '../support/linked-devices.ts';
import { bearer } from '../support/scenarios.ts';

const MESSAGE = { messaging_product: 'whatsapp', to: '4917612345678', type: 'text', text: { body: 'Hello' } };

/** Pairs the session as a phone scanning its QR code would, and waits until it is CONNECTED. */
async function scan(hub: TestHub, sessionId: string, phone: string) {
  await waitForSession(hub, sessionId, 'QR', (s) => !!s.qr);
  await playOnDevice(hub.deps, await readSession(hub.em(), sessionId), { play: 'scan', phone_number: phone });
  return waitForSession(hub, sessionId, 'CONNECTED');
}

describe('the partner API for linked-device sessions (REST, tRPC, SDK)', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' }, { listen: true });
  let runner: LinkedDeviceRunner;
  let partner: Partner;
  let token: string;
  let client: Client;
  let base: string;

  beforeAll(async () => {
    const created = await partnerFactory(hub.em(), hub.deps, 'Linked SaaS');
    partner = created.partner;
    token = created.token;
    client = await clientFactory(hub.em(), partner);
    base = `/api/v2/partners/${partner.id}`;
    runner = startTestRunner(hub);
  });
  afterAll(() => runner.stop());

  const api = () => ({
    get: (path: string) => request(hub.app).get(`${base}${path}`).set(bearer(token)),
    post: (path: string, body: object = {}) =>
      request(hub.app).post(`${base}${path}`).set(bearer(token)).send(body),
  });
  const send = (key: string, body: object) =>
    request(hub.app).post('/waba/messages').set('D360-API-KEY', key).send(body);

  it('over REST: create, QR image, pair, key, send, refuse an image, log out, pair again', async () => {
    const created = await api().post(`/clients/${client.id}/linked_device_sessions`, { name: 'Front desk' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ client_id: client.id, name: 'Front desk', status: 'PENDING' });
    const id = created.body.id as string;
    expect(id).toMatch(/^sess_/);

    await waitForSession(hub, id, 'QR', (s) => !!s.qr);
    const qr = await api().get(`/linked_device_sessions/${id}/qr`);
    expect(qr.status, JSON.stringify(qr.body)).toBe(200);
    expect(qr.body.qr).toBe((await readSession(hub.em(), id)).qr);
    expect(qr.body.png_data_url).toMatch(/^data:image\/png;base64,/);
    expect(qr.body.svg).toContain('<svg');
    expect(Date.parse(qr.body.expires_at)).toBeGreaterThan(hub.clock.now().getTime());
    expect((await api().get(`/linked_device_sessions/${id}`)).body).toMatchObject({
      status: 'QR',
      qr: qr.body.qr,
    });

    await scan(hub, id, '4915112345678');
    const connected = await api().get(`/linked_device_sessions/${id}`);
    expect(connected.body).toMatchObject({
      status: 'CONNECTED',
      phone_number: '4915112345678',
      qr: null,
      health: { state: 'healthy' },
    });
    const listed = await api().get(`/linked_device_sessions?client_id=${client.id}&status=CONNECTED`);
    expect(listed.body.linked_device_sessions.map((s: { id: string }) => s.id)).toEqual([id]);

    const key = await api().post(`/channels/${created.body.channel_id}/api_keys`);
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const sent = await send(key.body.api_key, MESSAGE);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '4917612345678', wa_id: '4917612345678' }],
      messages: [{ id: expect.any(String) }],
    });
    const echoed = await playOnDevice(hub.deps, await readSession(hub.em(), id), { play: 'sent' });
    expect(echoed.messages).toEqual([
      expect.objectContaining({ wa_message_id: sent.body.messages[0].id, text: 'Hello' }),
    ]);
    const image = await send(key.body.api_key, {
      messaging_product: 'whatsapp',
      to: '4917612345678',
      type: 'image',
      image: { link: 'https://example.com/a.png' },
    });
    expect([image.status, image.body.error?.code]).toEqual([422, 'message_type_not_supported']);
    expect(image.body.error.details).toEqual({ type: 'image', supported: ['text'] });

    const out = await api().post(`/linked_device_sessions/${id}/logout`);
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    const loggedOut = await waitForSession(hub, id, 'LOGGED_OUT');
    expect(loggedOut.channel.status).toBe('disconnected');
    const refused = await send(key.body.api_key, MESSAGE);
    expect([refused.status, refused.body.error?.code]).toEqual([400, 'session_not_connected']);
    const noQr = await api().get(`/linked_device_sessions/${id}/qr`);
    expect([noQr.status, noQr.body.error?.code]).toEqual([409, 'conflict']);

    const restarted = await api().post(`/linked_device_sessions/${id}/restart`);
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(200);
    expect(restarted.body.status).toBe('PENDING');
    await waitForSession(hub, id, 'QR', (s) => !!s.qr);
    expect((await api().get(`/linked_device_sessions/${id}/qr`)).status).toBe(200);
    const running = await api().post(`/linked_device_sessions/${id}/restart`);
    expect([running.status, running.body.error?.code]).toEqual([409, 'conflict']);
  });

  it('over tRPC: the same flow, with a pairing code instead of a QR code', async () => {
    const trpc = hub.trpc(token);
    const created = await trpc.linkedDevices.create({
      client_id: client.id,
      pairing_phone_number: '4915122223333',
    });
    expect(created).toMatchObject({ status: 'PENDING', pairing_phone_number: '4915122223333' });
    await waitForSession(hub, created.id, 'QR', (s) => !!s.pairingCode);
    const shown = await trpc.linkedDevices.qr({ session_id: created.id });
    expect(shown.pairing_code).toEqual(expect.any(String));
    expect((await trpc.linkedDevices.get({ session_id: created.id })).pairing_code).toBe(shown.pairing_code);

    await playOnDevice(hub.deps, await readSession(hub.em(), created.id), {
      play: 'pairing_code',
      code: shown.pairing_code!,
    });
    await waitForSession(hub, created.id, 'CONNECTED');
    const { api_key } = await trpc.apiKeys.create({ channel_id: created.channel_id });
    const sent = await send(api_key, { ...MESSAGE, text: { body: 'Via tRPC' } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);

    const page = await trpc.linkedDevices.list({ client_id: client.id, limit: 1 });
    expect(page.linked_device_sessions.map((s) => s.id)).toEqual([created.id]);
    expect(page.next_cursor).not.toBeNull();
    const next = await trpc.linkedDevices.list({ client_id: client.id, limit: 1, cursor: page.next_cursor! });
    expect(next.linked_device_sessions.map((s) => s.id)).not.toContain(created.id);

    expect((await trpc.linkedDevices.logout({ session_id: created.id })).id).toBe(created.id);
    await waitForSession(hub, created.id, 'LOGGED_OUT');
    const again = await trpc.linkedDevices.restart({ session_id: created.id, pairing_phone_number: null });
    expect(again).toMatchObject({ status: 'PENDING', pairing_phone_number: null });
    await waitForSession(hub, created.id, 'QR', (s) => !!s.qr);
  });

  it('through the SDK: typed calls over REST and tRPC', async () => {
    const sdk = createPartnerHubClient({ baseUrl: hub.url, token });
    const created = await sdk.rest.api.linkedDevices.create(
      { client_id: client.id, name: 'SDK phone' },
      { idempotencyKey: 'sdk-linked-1' },
    );
    const replayed = await sdk.rest.api.linkedDevices.create(
      { client_id: client.id, name: 'SDK phone' },
      { idempotencyKey: 'sdk-linked-1' },
    );
    expect(replayed.id).toBe(created.id);
    await waitForSession(hub, created.id, 'QR', (s) => !!s.qr);
    const qr = await sdk.trpc.linkedDevices.qr.query({ session_id: created.id });
    expect(qr.png_data_url).toMatch(/^data:image\/png;base64,/);
    await scan(hub, created.id, '4915144445555');
    const got = await sdk.rest.api.linkedDevices.get({ session_id: created.id });
    expect(got).toMatchObject({ status: 'CONNECTED', phone_number: '4915144445555' });
    const { api_key } = await sdk.rest.api.apiKeys.create({ channel_id: created.channel_id });
    expect((await send(api_key, MESSAGE)).status).toBe(200);
    const listed = await sdk.trpc.linkedDevices.list.query({ status: 'CONNECTED' });
    expect(listed.linked_device_sessions.map((s) => s.id)).toContain(created.id);
    const out = await sdk.trpc.linkedDevices.logout.mutate({ session_id: created.id });
    expect(out.id).toBe(created.id);
    const err = await sdk.rest.api.linkedDevices.qr({ session_id: created.id }).catch((e: unknown) => e);
    await waitForSession(hub, created.id, 'LOGGED_OUT');
    expect(err).toBeInstanceOf(PartnerHubError);
    expect(errorCodeOf(err)).toBe('conflict');
    expect(
      errorCodeOf(
        await sdk.trpc.linkedDevices.get.query({ session_id: 'sess_nope' }).catch((e: unknown) => e),
      ),
    ).toBe('not_found');
  });

  it('answers bad input and other partners’ sessions with stable 4xx codes', async () => {
    const other = await partnerFactory(hub.em(), hub.deps, 'Other SaaS');
    const otherClient = await clientFactory(hub.em(), other.partner);
    const theirs = await request(hub.app)
      .post(`/api/v2/partners/${other.partner.id}/clients/${otherClient.id}/linked_device_sessions`)
      .set(bearer(other.token))
      .send({});
    expect(theirs.status).toBe(201);
    const cases: [request.Test, number, string][] = [
      [
        api().post(`/clients/${client.id}/linked_device_sessions`, { pairing_phone_number: '+49 151 1' }),
        400,
        'validation_failed',
      ],
      [
        api().post(`/clients/${client.id}/linked_device_sessions`, { pairing_phone_number: '0049151' }),
        400,
        'validation_failed',
      ],
      [api().post(`/clients/${client.id}/linked_device_sessions`, { name: '' }), 400, 'validation_failed'],
      [
        api().post(`/clients/${client.id}/linked_device_sessions`, { name: 'x'.repeat(201) }),
        400,
        'validation_failed',
      ],
      [
        api().post(`/clients/${client.id}/linked_device_sessions`, { surprise: true }),
        400,
        'validation_failed',
      ],
      [
        api().post(`/clients/${client.id}/linked_device_sessions`, { name: 'a\u0000b' }),
        400,
        'validation_failed',
      ],
      [api().post(`/clients/${otherClient.id}/linked_device_sessions`), 404, 'not_found'],
      [api().post('/clients/cli_nope/linked_device_sessions'), 404, 'not_found'],
      [api().get('/linked_device_sessions/sess_nope'), 404, 'not_found'],
      [api().get(`/linked_device_sessions/${'s'.repeat(65)}`), 400, 'validation_failed'],
      [api().get(`/linked_device_sessions/${theirs.body.id}`), 404, 'not_found'],
      [api().get(`/linked_device_sessions/${theirs.body.id}/qr`), 404, 'not_found'],
      [api().post(`/linked_device_sessions/${theirs.body.id}/logout`), 404, 'not_found'],
      [api().post(`/linked_device_sessions/${theirs.body.id}/restart`), 404, 'not_found'],
      [
        api().post(`/linked_device_sessions/sess_nope/restart`, { pairing_phone_number: 'abc' }),
        400,
        'validation_failed',
      ],
      [api().get('/linked_device_sessions?status=ONLINE'), 400, 'validation_failed'],
      [api().get('/linked_device_sessions?limit=0'), 400, 'validation_failed'],
      [api().get('/linked_device_sessions?cursor=garbage'), 400, 'validation_failed'],
      [
        request(hub.app).post(`${base}/clients/${client.id}/linked_device_sessions`).set(bearer(other.token)),
        403,
        'forbidden',
      ],
    ];
    for (const [i, [req, status, code]] of cases.entries()) {
      const res = await req;
      expect([res.status, res.body.error?.code], `case ${i}`).toEqual([status, code]);
    }
    const mine = await api().get(`/linked_device_sessions?client_id=${otherClient.id}`);
    expect(mine.body.linked_device_sessions).toEqual([]);
    // Nothing was created by the refused calls.
    expect((await api().get('/linked_device_sessions?limit=100')).body.linked_device_sessions).toHaveLength(
      3,
    );
  });

  it('mints a key only once the channel is live (a pending linked device cannot have one)', async () => {
    const created = await api().post(`/clients/${client.id}/linked_device_sessions`);
    const key = await api().post(`/channels/${created.body.channel_id}/api_keys`);
    expect([key.status, key.body.error?.code]).toEqual([409, 'channel_not_ready']);
    await api().post(`/linked_device_sessions/${created.body.id}/logout`);
  });
});

describe('with LINKED_DEVICES_ENABLED off, nothing of linked devices is reachable', () => {
  const hub = useTestHub({}, { listen: true });

  it('every linked-device operation answers 404 linked_devices_disabled over REST, tRPC and the SDK', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'Off SaaS');
    const client = await clientFactory(hub.em(), partner);
    const ids: Record<string, string> = {
      partner_id: partner.id,
      client_id: client.id,
      session_id: 'sess_01jx0000000000000000000000',
    };
    for (const op of Object.values(linkedDeviceOperations)) {
      const path = `/api/v2${op.path.replaceAll(/:(\w+)/g, (_, name: string) => ids[name]!)}`;
      const res = await request(hub.app)
        [op.method](path)
        .set(bearer(token))
        .send(op.method === 'get' ? undefined : {});
      expect([res.status, res.body.error?.code], op.operationId).toEqual([404, 'linked_devices_disabled']);
      // An Idempotency-Key changes nothing: the switch is checked before any stored answer.
      if (op.method === 'post') {
        const keyed = await request(hub.app)
          [op.method](path)
          .set(bearer(token))
          .set('Idempotency-Key', 'k1')
          .send({});
        expect(keyed.body.error?.code, op.operationId).toBe('linked_devices_disabled');
      }
    }
    const trpc = hub.trpc(token);
    const session = { session_id: ids.session_id! };
    const calls: (() => Promise<unknown>)[] = [
      () => trpc.linkedDevices.create({ client_id: client.id }),
      () => trpc.linkedDevices.list(),
      () => trpc.linkedDevices.get(session),
      () => trpc.linkedDevices.qr(session),
      () => trpc.linkedDevices.logout(session),
      () => trpc.linkedDevices.restart(session),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringMatching(/not enabled/),
      });
    }
    const sdk = createPartnerHubClient({ baseUrl: hub.url, token, partnerId: partner.id });
    expect(errorCodeOf(await sdk.rest.api.linkedDevices.list().catch((e: unknown) => e))).toBe(
      'linked_devices_disabled',
    );
    expect(errorCodeOf(await sdk.trpc.linkedDevices.get.query(session).catch((e: unknown) => e))).toBe(
      'linked_devices_disabled',
    );
  });

  it('a linked-device channel left from before cannot send through /waba/messages', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Off Sender');
    const client = await clientFactory(hub.em(), partner);
    const channel = await channelFactory(hub.em(), client, { connectionType: 'linked_device' });
    await permissionFactory(hub.em(), partner, channel);
    const { key } = await channelApiKeyFactory(hub.em(), partner, channel);
    const res = await request(hub.app).post('/waba/messages').set('D360-API-KEY', key).send(MESSAGE);
    expect([res.status, res.body.error?.code]).toEqual([404, 'linked_devices_disabled']);
  });
});
