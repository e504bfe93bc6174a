import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playOnDevice } from '../../server/linked-devices/linked-device-actions.service.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { sessionEvents, startTestRunner, waitForSession } from '../support/linked-devices.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

// Copied from whathooks' documentation ("Signature verification"), as a receiver would have it.
// biome-ignore lint/suspicious/noExplicitAny: verbatim from the reference, untyped JavaScript.
function verifySignature(rawBody: any, header: any, secret: any) {
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest('hex');

  // Header arrives as "sha256=<hex>" — strip the prefix first
  const received = (header || '').replace(/^sha256=/, '');

  const a = Buffer.from(received, 'hex');
  const b = Buffer.from(expected, 'hex');

  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const ACTOR = { type: 'operator', id: 'test' } as const;

describe('whathooks-format endpoints: the whathooks envelope and headers, signed with the endpoint secret', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' }, { listen: true });
  let runner: LinkedDeviceRunner;
  let receiver: WebhookReceiver;
  let standard: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    standard = await WebhookReceiver.start();
    runner = startTestRunner(hub);
  });
  afterAll(async () => {
    await runner.stop();
    await receiver.close();
    await standard.close();
  });

  async function endpoint(token: string, partnerId: string, body: Record<string, unknown>) {
    const res = await fetch(`${hub.url}/api/v2/partners/${partnerId}/webhook_endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('shows, takes and changes the format over REST; anything else is validation_failed', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'Format API');
    const created = await endpoint(token, partner.id, { url: 'https://receiver.example/hooks' });
    expect(created).toMatchObject({ status: 201, body: { format: 'standard_webhooks' } });
    const bad = await endpoint(token, partner.id, { url: 'https://receiver.example/x', format: 'svix' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    const patched = await fetch(
      `${hub.url}/api/v2/partners/${partner.id}/webhook_endpoints/${created.body.id}`,
      {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ format: 'whathooks' }),
      },
    );
    expect(await patched.json()).toMatchObject({ id: created.body.id, format: 'whathooks' });
    const viaTrpc = await hub.trpc(token).webhooks.endpoints.get({ endpoint_id: created.body.id as string });
    expect(viaTrpc.format).toBe('whathooks');
  });

  it('delivers an inbound linked-device message as whathooks message.received, verifiable with its verifySignature', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'Whathooks mover');
    const events = ['message.received', 'session.status', 'session.qr'];
    const wh = await endpoint(token, partner.id, {
      url: receiver.url,
      format: 'whathooks',
      event_types: events,
    });
    expect(wh).toMatchObject({ status: 201, body: { format: 'whathooks' } });
    const secret = wh.body.secret as string;
    const sw = await endpoint(token, partner.id, { url: standard.url, event_types: events });
    expect(sw.status).toBe(201);

    const client = await clientFactory(hub.em(), partner);
    const session = await createLinkedDeviceSession(
      hub.em(),
      hub.deps,
      { partner, client, name: 'Shop' },
      ACTOR,
    );
    const qr = await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    await playOnDevice(hub.deps, qr, { play: 'scan', phone_number: '4915122223333', name: 'Shop' });
    await waitForSession(hub, session.id, 'CONNECTED');
    await playOnDevice(hub.deps, session, {
      play: 'inbound',
      from: '15551234567',
      text: 'Hi there!',
      push_name: 'Jane Doe',
    });
    await expect
      .poll(async () => (await sessionEvents(hub, 'message.received', session.id)).length, { timeout: 5_000 })
      .toBe(1);
    await hub.drainJobs();

    const requests = await receiver.waitForRequests(1);
    const byEvent = (name: string) =>
      receiver.requests.filter((r) => r.headers['x-whathooks-event'] === name);
    const [received] = byEvent('message.received');
    expect(received).toBeDefined();
    expect(requests.length).toBeGreaterThan(0);

    // Exactly what the reference's receiver does: HMAC of the raw body with the endpoint secret.
    for (const r of receiver.requests) {
      expect(verifySignature(r.rawBody, r.headers['x-whathooks-signature'], secret)).toBe(true);
      expect(verifySignature(r.rawBody, r.headers['x-whathooks-signature'], `${secret}x`)).toBe(false);
      expect(r.headers['x-whathooks-delivery']).toMatch(/^\S+$/);
      expect(r.headers['webhook-signature']).toBeUndefined();
      expect(r.headers['content-type']).toBe('application/json');
    }
    const deliveryIds = receiver.requests.map((r) => r.headers['x-whathooks-delivery']);
    expect(new Set(deliveryIds).size).toBe(deliveryIds.length);

    const body = JSON.parse(received!.rawBody);
    expect(Object.keys(body).sort()).toEqual(['data', 'event', 'sessionId', 'timestamp']);
    expect(body).toEqual({
      event: 'message.received',
      sessionId: session.id,
      data: {
        id: expect.stringMatching(/^evt_/),
        sessionId: session.id,
        from: '15551234567',
        pushName: 'Jane Doe',
        type: 'text',
        text: 'Hi there!',
        waMessageId: expect.any(String),
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      },
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const statuses = byEvent('session.status').map((r) => JSON.parse(r.rawBody));
    expect(statuses.map((s) => s.data.status)).toEqual(['PENDING', 'QR', 'CONNECTING', 'CONNECTED']);
    expect(statuses.at(-1)).toMatchObject({
      event: 'session.status',
      sessionId: session.id,
      data: {
        sessionId: session.id,
        status: 'CONNECTED',
        previousStatus: 'CONNECTING',
        reason: null,
        phoneNumber: '4915122223333',
      },
    });
    const [qrBody] = byEvent('session.qr').map((r) => JSON.parse(r.rawBody));
    expect(qrBody).toMatchObject({
      event: 'session.qr',
      sessionId: session.id,
      data: { sessionId: session.id, qr: qr.qr, pairingCode: null, expiresAt: expect.any(String) },
    });

    // The Standard Webhooks endpoint got the same events as stored, with its own headers.
    const standardReceived = standard.requests.find((r) => r.headers['x-hub-event'] === 'message.received');
    expect(standardReceived?.headers['webhook-signature']).toMatch(/^v1,/);
    expect(standardReceived?.headers['x-whathooks-signature']).toBeUndefined();
    const stored = JSON.parse(standardReceived!.rawBody);
    expect(stored.entry[0].changes[0].value.metadata.phone_number_id).toBe(session.id);
    expect(body.data.id).toBe(standardReceived!.headers['webhook-id']);
  });
});
