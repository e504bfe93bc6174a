import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playOnDevice } from '../../server/linked-devices/linked-device-actions.service.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { whathooksOperations } from '../../server/whathooks/operations.ts';
import { channelApiKeyFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { readSession, startTestRunner, waitForSession } from '../support/linked-devices.ts';

type Json = Record<string, unknown>;

/** Calls the hub over real HTTP; `auth` is the header carrying the key. */
function caller(base: () => string) {
  return async (
    method: string,
    path: string,
    auth: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = { status: res.status, body: (await res.json()) as Json };
    assertDocumented(method, path, answer);
    return answer;
  };
}

/** Every success answer fits the response schema `/v1/openapi.json` documents for its route. */
function assertDocumented(method: string, path: string, answer: { status: number; body: Json }) {
  const route = path.split('?')[0]!.slice('/v1'.length);
  const op = whathooksOperations.find(
    (o) =>
      o.method === method.toLowerCase() && new RegExp(`^${o.path.replace(/:\w+/g, '[^/]+')}$`).test(route),
  );
  if (!op || answer.status !== op.status) return;
  const parsed = op.response.safeParse(answer.body);
  expect(parsed.error?.issues ?? [], `${method} ${path}`).toEqual([]);
}

const apiKey = (token: string) => ({ 'x-api-key': token });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('whathooks /v1 with linked devices on', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' }, { listen: true });
  const call = caller(() => hub.url);
  let runner: LinkedDeviceRunner;
  let partner: Partner;
  let token: string;
  let otherToken: string;

  beforeAll(async () => {
    const a = await partnerFactory(hub.em(), hub.deps, 'Mover SaaS');
    partner = a.partner;
    token = a.token;
    otherToken = (await partnerFactory(hub.em(), hub.deps, 'Someone else')).token;
    runner = startTestRunner(hub);
  });
  afterAll(() => runner.stop());

  /** A session created over /v1 and paired by a scan on the emulated phone. */
  async function connectedSession(phone: string): Promise<Json> {
    const created = await call('POST', '/v1/sessions', apiKey(token), { name: `Desk ${phone}` });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitForSession(hub, id, 'QR', (s) => !!s.qr);
    await playOnDevice(hub.deps, await readSession(hub.em(), id), { play: 'scan', phone_number: phone });
    await waitForSession(hub, id, 'CONNECTED');
    return created.body;
  }

  it('creates a session with X-API-Key and shows it in whathooks camelCase with either header', async () => {
    const created = await call('POST', '/v1/sessions', apiKey(token), { name: 'Front desk' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^sess_/),
      name: 'Front desk',
      status: 'PENDING',
      phoneNumber: null,
      qr: null,
      clientId: expect.stringMatching(/^cli_/),
      channelId: expect.stringMatching(/^chn_/),
      createdAt: expect.any(String),
    });
    const id = created.body.id as string;

    const qr = await waitForSession(hub, id, 'QR', (s) => !!s.qr);
    const one = await call('GET', `/v1/sessions/${id}`, bearer(token));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, status: 'QR', qr: qr.qr, qrExpiresAt: expect.any(String) });

    const list = await call('GET', '/v1/sessions', bearer(token));
    expect(list.status).toBe(200);
    expect((list.body.sessions as Json[]).map((s) => s.id)).toContain(id);
    expect(list.body.nextCursor).toBeNull();
  });

  it("puts the session under an existing client when clientId is given; another partner's client is 404", async () => {
    const first = await call('POST', '/v1/sessions', apiKey(token), { name: 'One' });
    const second = await call('POST', '/v1/sessions', apiKey(token), { clientId: first.body.clientId });
    expect(second.status).toBe(201);
    expect(second.body.clientId).toBe(first.body.clientId);
    const foreign = await call('POST', '/v1/sessions', apiKey(otherToken), { clientId: first.body.clientId });
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('refuses a fourth pairing for one client with 409 too_many_pairings; a new client pairs', async () => {
    const first = await call('POST', '/v1/sessions', apiKey(token), { name: 'Busy' });
    const clientId = first.body.clientId;
    for (let i = 0; i < 2; i++)
      expect((await call('POST', '/v1/sessions', apiKey(token), { clientId })).status).toBe(201);
    const refused = await call('POST', '/v1/sessions', apiKey(token), { clientId });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'too_many_pairings' } } });
    expect((await call('POST', '/v1/sessions', apiKey(token), { name: 'Quiet' })).status).toBe(201);
  });

  it('answers 401 without a key, with a wrong one, in either header', async () => {
    for (const auth of [
      {},
      apiKey('nope'),
      bearer('hubp_wrong'),
      apiKey('hubk_000000000000000000000000000000000000'),
    ]) {
      const res = await call('GET', '/v1/sessions', auth);
      expect(res.status).toBe(401);
      expect((res.body.error as Json).code).toBe('unauthorized');
    }
    const send = await call(
      'POST',
      '/v1/messages',
      {},
      { sessionId: 'sess_x', to: '4915112345678', text: 'hi' },
    );
    expect(send.status).toBe(401);
  });

  it("answers 404 for another partner's session, 400 session_not_connected and 400 validation_failed", async () => {
    const created = await call('POST', '/v1/sessions', apiKey(token), { name: 'Not yet' });
    const id = created.body.id as string;

    expect((await call('GET', `/v1/sessions/${id}`, apiKey(otherToken))).status).toBe(404);
    const foreignSend = await call('POST', '/v1/messages', apiKey(otherToken), {
      sessionId: id,
      to: '4915112345678',
      text: 'hi',
    });
    expect(foreignSend).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await call('POST', `/v1/sessions/${id}/logout`, apiKey(otherToken))).status).toBe(404);

    const notConnected = await call('POST', '/v1/messages', apiKey(token), {
      sessionId: id,
      to: '4915112345678',
      text: 'hi',
    });
    expect(notConnected).toMatchObject({ status: 400, body: { error: { code: 'session_not_connected' } } });

    for (const body of [
      { sessionId: id, to: '4915112345678' },
      { sessionId: id, to: '49', text: 'hi' },
      { x: 1 },
    ]) {
      const res = await call('POST', '/v1/messages', apiKey(token), body);
      expect(res.status).toBe(400);
      expect((res.body.error as Json).code).toBe('validation_failed');
    }
    const badSession = await call('POST', '/v1/sessions', apiKey(token), { pairingPhoneNumber: '+49 151' });
    expect(badSession).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
  });

  it('sends through a connected session and lists the message, then logs the session out', async () => {
    const session = await connectedSession('4915100000001');
    const id = session.id as string;
    const sent = await call('POST', '/v1/messages', bearer(token), {
      sessionId: id,
      to: '4917612345678',
      text: 'Hello',
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({
      id: expect.stringMatching(/^msg_/),
      waMessageId: expect.any(String),
      sessionId: id,
      to: '4917612345678',
      status: 'sent',
    });

    const listed = await call('GET', `/v1/messages?sessionId=${id}`, apiKey(token));
    expect(listed.status).toBe(200);
    expect(listed.body.messages).toEqual([
      expect.objectContaining({
        id: sent.body.id,
        sessionId: id,
        direction: 'outbound',
        to: '4917612345678',
        text: 'Hello',
        waMessageId: sent.body.waMessageId,
      }),
    ]);
    const all = await call('GET', '/v1/messages', apiKey(token));
    expect((all.body.messages as Json[]).map((m) => m.id)).toContain(sent.body.id);
    const others = await call('GET', '/v1/messages', apiKey(otherToken));
    expect(others.body.messages).toEqual([]);

    const out = await call('POST', `/v1/sessions/${id}/logout`, apiKey(token));
    expect(out.status).toBe(200);
    await waitForSession(hub, id, 'LOGGED_OUT');
    expect((await call('GET', `/v1/sessions/${id}`, apiKey(token))).body.status).toBe('LOGGED_OUT');
  });

  it('lists received reactions and locations with their content beside whathooks’ text field', async () => {
    const session = await connectedSession('4915100000003');
    const id = session.id as string;
    const device = await readSession(hub.em(), id);
    await playOnDevice(hub.deps, device, {
      play: 'inbound',
      from: '4917611111111',
      reaction: { message_id: 'wamid.ours', emoji: '👍' },
    });
    await playOnDevice(hub.deps, device, {
      play: 'inbound',
      from: '4917611111111',
      location: { latitude: 52.52, longitude: 13.405, name: 'Shop' },
    });
    const received = async () =>
      ((await call('GET', `/v1/messages?sessionId=${id}`, apiKey(token))).body.messages as Json[]) ?? [];
    await expect.poll(async () => (await received()).length, { timeout: 5_000 }).toBe(2);
    const [location, reaction] = await received();
    expect(reaction).toMatchObject({
      direction: 'inbound',
      from: '4917611111111',
      type: 'reaction',
      text: null,
      reaction: { messageId: 'wamid.ours', emoji: '👍' },
    });
    expect(location).toMatchObject({
      type: 'location',
      text: null,
      location: { latitude: 52.52, longitude: 13.405, name: 'Shop', address: null },
    });
  });

  it("lets a channel API key see and use only its own channel's session, and not create sessions", async () => {
    const mine = await connectedSession('4915100000002');
    const sibling = await call('POST', '/v1/sessions', apiKey(token), { name: 'Sibling' });
    const session = await readSession(hub.em(), mine.id as string);
    const { key } = await channelApiKeyFactory(hub.em(), partner, session.channel);

    for (const auth of [apiKey(key), bearer(key)]) {
      const list = await call('GET', '/v1/sessions', auth);
      expect(list.status).toBe(200);
      expect((list.body.sessions as Json[]).map((s) => s.id)).toEqual([mine.id]);
    }
    expect((await call('GET', `/v1/sessions/${mine.id}`, apiKey(key))).status).toBe(200);
    expect((await call('GET', `/v1/sessions/${sibling.body.id}`, apiKey(key))).status).toBe(404);
    const create = await call('POST', '/v1/sessions', apiKey(key), { name: 'No' });
    expect(create).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const sent = await call('POST', '/v1/messages', apiKey(key), {
      sessionId: mine.id,
      to: '4917600000000',
      text: 'From the key',
    });
    expect(sent).toMatchObject({ status: 201, body: { sessionId: mine.id, status: 'sent' } });
    const toSibling = await call('POST', '/v1/messages', apiKey(key), {
      sessionId: sibling.body.id,
      to: '4917600000000',
      text: 'x',
    });
    expect(toSibling.status).toBe(404);
  });

  it('answers 400 validation_failed for a session id the database cannot hold (was 503 database_unavailable)', async () => {
    for (const id of ['%00', '%ED%A0%80', 'x'.repeat(65)]) {
      for (const [method, path] of [
        ['GET', `/v1/sessions/${id}`],
        ['POST', `/v1/sessions/${id}/logout`],
      ] as const) {
        const res = await call(method, path, apiKey(token));
        expect(res, `${method} ${path}`).toMatchObject({
          status: 400,
          body: { error: { code: 'validation_failed' } },
        });
      }
    }
  });

  it('answers 404 for paths whathooks does not have', async () => {
    const res = await call('GET', '/v1/nothing', apiKey(token));
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });
});

describe('whathooks /v1 with linked devices off (the default)', () => {
  const hub = useTestHub({}, { listen: true });
  const call = caller(() => hub.url);

  it('does not exist: every /v1 path is 404, whatever the credentials', async () => {
    const { token } = await partnerFactory(hub.em(), hub.deps);
    for (const [method, path] of [
      ['GET', '/v1/sessions'],
      ['POST', '/v1/sessions'],
      ['GET', '/v1/sessions/sess_x'],
      ['POST', '/v1/sessions/sess_x/logout'],
      ['POST', '/v1/messages'],
      ['GET', '/v1/messages'],
    ] as const) {
      const res = await call(method, path, apiKey(token), method === 'POST' ? {} : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });
});
