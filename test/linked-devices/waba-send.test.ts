import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playOnDevice } from '../../server/linked-devices/linked-device-actions.service.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { channelApiKeyFactory, clientFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { readSession, startTestRunner, waitForSession } from '../support/linked-devices.ts';
import { bearer } from '../support/scenarios.ts';

const ACTOR = { type: 'operator', id: 'test' } as const;
const TO = '4917612345678';
const text = (body: string, extra: object = {}) => ({
  messaging_product: 'whatsapp',
  to: TO,
  type: 'text',
  text: { body },
  ...extra,
});

describe('POST /waba/messages through a linked-device channel', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true', LINKED_DEVICE_SEND_PER_MINUTE: '3' });
  let runner: LinkedDeviceRunner;
  let partner: Partner;
  let token: string;
  let client: Client;

  beforeAll(async () => {
    const created = await partnerFactory(hub.em(), hub.deps, 'Waba Linked');
    partner = created.partner;
    token = created.token;
    client = await clientFactory(hub.em(), partner);
    runner = startTestRunner(hub);
  });
  afterAll(() => runner.stop());

  /** A paired session and a key minted for its channel through the partner API. */
  async function pairedWithKey(phone: string) {
    const session = await createLinkedDeviceSession(hub.em(), hub.deps, { partner, client }, ACTOR);
    await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    await playOnDevice(hub.deps, session, { play: 'scan', phone_number: phone });
    await waitForSession(hub, session.id, 'CONNECTED');
    const minted = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${session.channel.id}/api_keys`)
      .set(bearer(token));
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    return { session, key: minted.body.api_key as string };
  }
  const send = (key: string, body: object | string) =>
    request(hub.app)
      .post('/waba/messages')
      .set('D360-API-KEY', key)
      .set('Content-Type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it('sends text in the Cloud API shape, logs it, and refuses what a linked device cannot send', async () => {
    const { session, key } = await pairedWithKey('4915100000001');
    const sent = await send(key, text('Your order is ready', { to: `+${TO}` }));
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: `+${TO}`, wa_id: TO }],
      messages: [{ id: expect.any(String) }],
    });
    // Cloud API's default type is text.
    const untyped = await send(key, { messaging_product: 'whatsapp', to: TO, text: { body: 'Untyped' } });
    expect(untyped.status, JSON.stringify(untyped.body)).toBe(200);
    const echoed = await playOnDevice(hub.deps, await readSession(hub.em(), session.id), { play: 'sent' });
    expect((echoed.messages as { text: string }[]).map((m) => m.text)).toEqual([
      'Your order is ready',
      'Untyped',
    ]);

    await expect
      .poll(
        async () => {
          const res = await request(hub.app)
            .get(`/api/v2/partners/${partner.id}/channels/${session.channel.id}/messages`)
            .set(bearer(token));
          return (res.body.messages as { wamid: string; direction: string }[] | undefined)?.map(
            (m) => m.wamid,
          );
        },
        { timeout: 5_000, interval: 50 },
      )
      .toContain(sent.body.messages[0].id);

    const unsupported: object[] = [
      { messaging_product: 'whatsapp', to: TO, type: 'image', image: { link: 'https://example.com/a.png' } },
      {
        messaging_product: 'whatsapp',
        to: TO,
        type: 'template',
        template: { name: 'hello', language: { code: 'en' } },
      },
      { messaging_product: 'whatsapp', to: TO, type: 'interactive', interactive: {} },
      {
        messaging_product: 'whatsapp',
        to: TO,
        type: 'reaction',
        reaction: { message_id: 'wamid.x', emoji: '👍' },
      },
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.x' },
      text('A reply', { context: { message_id: 'wamid.x' } }),
      { messaging_product: 'whatsapp', to: TO, type: { nested: true } },
    ];
    for (const body of unsupported) {
      const res = await send(key, body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([
        422,
        'message_type_not_supported',
      ]);
      expect(res.body.error.details.supported).toEqual(['text']);
    }

    const invalid: [object | string, string][] = [
      [{ messaging_product: 'whatsapp', to: TO, type: 'text' }, 'validation_failed'],
      [{ messaging_product: 'whatsapp', to: TO, type: 'text', text: { body: 7 } }, 'validation_failed'],
      [{ messaging_product: 'whatsapp', type: 'text', text: { body: 'hi' } }, 'validation_failed'],
      [text('hi', { to: 'not-a-number' }), 'validation_failed'],
      [text('hi', { to: 4917612345678 }), 'validation_failed'],
      [text(''), 'validation_failed'],
      [text('x'.repeat(4097)), 'validation_failed'],
      [text('hi', { messaging_product: 'sms' }), 'validation_failed'],
      ['{"messaging_product":', 'invalid_json'],
      ['[1,2]', 'validation_failed'],
    ];
    for (const [body, code] of invalid) {
      const res = await send(key, body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([400, code]);
    }
  });

  it('answers 429 with Retry-After past LINKED_DEVICE_SEND_PER_MINUTE for the number', async () => {
    const { key } = await pairedWithKey('4915100000002');
    for (let i = 0; i < 3; i++) expect((await send(key, text(`n${i}`))).status).toBe(200);
    const limited = await send(key, text('one too many'));
    expect([limited.status, limited.body.error?.code]).toEqual([429, 'rate_limited']);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.error.details).toMatchObject({ limit: 3, retry_after_seconds: retryAfter });
  });

  it('answers 400 session_not_connected while the session is not CONNECTED', async () => {
    const session = await createLinkedDeviceSession(hub.em(), hub.deps, { partner, client }, ACTOR);
    // The partner API mints keys only for live channels; an old key of a number now re-pairing is like this one.
    const { key } = await channelApiKeyFactory(hub.em(), partner, session.channel);
    const res = await send(key, text('hi'));
    expect([res.status, res.body.error?.code]).toEqual([400, 'session_not_connected']);
    expect(res.body.error.details).toEqual({ status: expect.stringMatching(/^(PENDING|QR)$/) });
  });
});
