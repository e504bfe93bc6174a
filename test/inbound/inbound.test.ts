import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { MetaWebhook } from '../../server/modules/inbound/meta-webhook.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { grantPermission, revokePermission } from '../../server/modules/permissions/permissions.service.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { enqueue } from '../support/enqueue.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel, TEST_ACTOR } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { dataOf } from '../support/webhooks.ts';

function messagePayload(wabaId: string, phoneNumberId: string, body: string) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Ana' }, wa_id: '4915112345678' }],
              messages: [
                {
                  from: '4915112345678',
                  id: `wamid.${body}`,
                  timestamp: '1764000000',
                  type: 'text',
                  text: { body },
                },
              ],
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

describe('inbound relay: Meta webhook → channel webhooks', () => {
  const hub = useTestHub({}, { listen: true });
  let receiver: WebhookReceiver;
  let partner: Partner;
  let webhookSecret: string;
  let token: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const created = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS');
    ({ partner, token, webhookSecret } = created);
  });
  afterAll(() => receiver.close());

  const postSigned = (payload: unknown, signature?: string) => {
    const raw = JSON.stringify(payload);
    return request(hub.app)
      .post('/meta/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signature ?? signMetaBody(hub.deps.meta.appSecret, raw))
      .send(raw);
  };

  async function liveChannelWithWebhook(path: string, headers?: Record<string, string>) {
    const { channel } = await onboardSandboxChannel(hub, partner);
    const key = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    const set = await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', key.body.api_key)
      .send({ url: `${receiver.url}${path}`, headers });
    expect(set.status).toBe(200);
    keys.set(channel.id, key.body.api_key);
    return channel;
  }
  const keys = new Map<string, string>();
  const control = (path: string, body: unknown) =>
    fetch(`${hub.url}/sandbox/control/${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
      },
      body: JSON.stringify(body),
    });

  it('completes Meta’s verification handshake only with the verify token', async () => {
    const ok = await request(hub.app).get('/meta/webhook').query({
      'hub.mode': 'subscribe',
      'hub.verify_token': hub.deps.meta.verifyToken,
      'hub.challenge': '1158201444',
    });
    expect([ok.status, ok.text]).toEqual([200, '1158201444']);
    const wrong = await request(hub.app)
      .get('/meta/webhook')
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' });
    expect(wrong.status).toBe(403);
  });

  it('rejects a missing or bad X-Hub-Signature-256 with 401 and stores nothing; keeps whatever Meta signed', async () => {
    const before = await hub.em().count(MetaWebhook, {});
    const payload = messagePayload('1', '2', 'forged');
    const unsigned = await request(hub.app).post('/meta/webhook').send(payload);
    expect([unsigned.status, unsigned.body.error.code]).toEqual([401, 'unauthorized']);
    const wrongSecret = signMetaBody('not-the-app-secret', JSON.stringify(payload));
    expect((await postSigned(payload, wrongSecret)).status).toBe(401);
    // Signed over different bytes: the signature covers the exact body.
    const tampered = signMetaBody(hub.deps.meta.appSecret, JSON.stringify(messagePayload('1', '2', 'other')));
    expect((await postSigned(payload, tampered)).status).toBe(401);
    expect(await hub.em().count(MetaWebhook, {})).toBe(before);
    // Correctly signed but not a JSON object: Meta signed it, so it is kept (unrouted) and acknowledged.
    for (const body of [[1, 2], 'text', null]) {
      const res = await postSigned(body);
      expect(res.status).toBe(200);
    }
    const kept = await hub.em().find(MetaWebhook, {}, { orderBy: { id: 'desc' }, limit: 3 });
    expect(kept.map((m) => [m.body.toString('utf8'), m.routedAt, m.error])).toEqual(
      ['null', '"text"', '[1,2]'].map((b) => [b, null, 'not a JSON object']),
    );
  });

  it('relays an inbound message to the channel webhook in Meta’s envelope, signed, with the custom headers', async () => {
    const channel = await liveChannelWithWebhook('/inbound-1', { Authorization: 'Bearer app-secret-123' });
    const payload = messagePayload(channel.wabaId, channel.phoneNumberId, 'hello');
    const res = await postSigned(payload);
    expect([res.status, res.text]).toEqual([200, 'EVENT_RECEIVED']);
    expect(await hub.em().count(MetaWebhook, { routedAt: { $ne: null } })).toBeGreaterThan(0);

    await hub.drainJobs();
    const [got] = await receiver.waitForRequests(1);
    expect(got!.path).toBe('/inbound-1');
    expect(JSON.parse(got!.rawBody)).toEqual(payload);
    expect(got!.headers.authorization).toBe('Bearer app-secret-123');
    expect(got!.headers['x-hub-event']).toBe('message.received');
    const verified = new Webhook(webhookSecret.replace(/^whsec_/, '')).verify(
      got!.rawBody,
      got!.headers as Record<string, string>,
    );
    expect(verified).toEqual(payload);
    const event = await hub.em().findOneOrFail(WebhookEvent, { id: String(got!.headers['webhook-id']) });
    expect(event.type).toBe('message.received');
    expect(dataOf(event)).toMatchObject({ waba_id: channel.wabaId, field: 'messages' });
    // Meta's payload was one change: the channel webhook got its bytes unchanged.
    expect(event.body).toBe(got!.rawBody);
  });

  it('relays what the sandbox control API simulates, end to end over HTTP', async () => {
    const channel = await liveChannelWithWebhook('/inbound-2');
    const control = await fetch(`${hub.url}/sandbox/control/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
      },
      body: JSON.stringify({
        phone_number_id: channel.phoneNumberId,
        from: '4915112345678',
        text: 'from the sandbox',
      }),
    });
    expect(control.status).toBe(200);
    expect(await control.json()).toMatchObject({ delivered: true, status: 200 });
    await hub.drainJobs();
    const got = (await receiver.waitForRequests(2)).find((r) => r.path === '/inbound-2');
    const body = JSON.parse(got!.rawBody);
    expect(body.entry[0].changes[0].value.messages[0].text.body).toBe('from the sandbox');
    expect(body.entry[0].changes[0].value.metadata.phone_number_id).toBe(channel.phoneNumberId);
  });

  it('relays a contact known only by its business-scoped user id (no wa_id), and its statuses', async () => {
    const channel = await liveChannelWithWebhook('/bsuid');
    const bsuid = 'US.13491208655302741918';
    const sent = await control('messages', {
      phone_number_id: channel.phoneNumberId,
      user_id: bsuid,
      text: 'no number',
    });
    expect(sent.status).toBe(200);
    const status = await control('statuses', {
      phone_number_id: channel.phoneNumberId,
      message_id: 'wamid.bsuid-status',
      status: 'delivered',
      recipient_user_id: bsuid,
    });
    expect(status.status).toBe(200);
    const before = receiver.requests.length;
    await hub.drainJobs();
    const got = (await receiver.waitForRequests(before + 2, 10_000))
      .filter((r) => r.path === '/bsuid')
      .map((r) => JSON.parse(r.rawBody).entry[0].changes[0].value);
    const message = got.find((v) => v.messages)!;
    expect(message.contacts).toEqual([{ profile: { name: 'Sandbox Customer' }, user_id: bsuid }]);
    expect(message.messages[0]).toMatchObject({ from_user_id: bsuid, text: { body: 'no number' } });
    expect(message.messages[0].from).toBeUndefined();
    const delivered = got.find((v) => v.statuses)!;
    expect(delivered.statuses[0]).toMatchObject({ id: 'wamid.bsuid-status', recipient_user_id: bsuid });
    expect(delivered.statuses[0].recipient_id).toBeUndefined();
    const types = await hub.em().find(WebhookEvent, { channel: channel.id }, { fields: ['type'] });
    expect(
      types
        .map((e) => e.type)
        .filter((t) => t.startsWith('message.'))
        .sort(),
    ).toEqual(['message.received', 'message.status']);

    const neither = await control('messages', { phone_number_id: channel.phoneNumberId, text: 'who?' });
    expect(neither.status).toBe(400);
    const bad = await control('messages', {
      phone_number_id: channel.phoneNumberId,
      user_id: 'us-123',
      text: 'x',
    });
    expect(bad.status).toBe(400);
  });

  it('sends to a business-scoped user id where Meta takes one (`recipient` instead of `to`)', async () => {
    const channel = await liveChannelWithWebhook('/bsuid-send');
    const send = (body: Record<string, unknown>) =>
      request(hub.app)
        .post('/waba/messages')
        .set('D360-API-KEY', keys.get(channel.id)!)
        .send({ messaging_product: 'whatsapp', type: 'text', text: { body: 'hi' }, ...body });
    const ok = await send({ recipient: 'BR.1502576394655843' });
    expect(ok.status).toBe(200);
    expect(ok.body.contacts).toEqual([{ input: 'BR.1502576394655843', user_id: 'BR.1502576394655843' }]);
    expect(ok.body.messages[0].id).toMatch(/^wamid\./);
    const parent = await send({ recipient: 'US.ENT.11815799212886844830' });
    expect(parent.status).toBe(200);
    const bad = await send({ recipient: 'not-a-bsuid' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(100);
  });

  it('fans out to every partner holding the channel, and not to one whose permission was revoked', async () => {
    const channel = await liveChannelWithWebhook('/inbound-3');
    const em = hub.em();
    const other = await partnerFactory(em, hub.deps, 'Other SaaS');
    const stored = await em.findOneOrFail(Channel, channel.id, { populate: ['client'] });
    await grantPermission(em, hub.clock, other.partner, stored, TEST_ACTOR);
    const otherKey = await request(hub.app)
      .post(`/api/v2/partners/${other.partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(other.token));
    await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', otherKey.body.api_key)
      .send({ url: `${receiver.url}/other-partner` });

    const seen = receiver.requests.length;
    await postSigned(messagePayload(channel.wabaId, channel.phoneNumberId, 'to-both'));
    // Revoked after recording but before delivery: the queued delivery is dropped too.
    await revokePermission(em, hub.clock, other.partner, stored, TEST_ACTOR);
    await hub.drainJobs();
    await receiver.waitForRequests(seen + 1);
    const paths = receiver.requests.slice(seen).map((r) => r.path);
    expect(paths).toEqual(['/inbound-3']);
    expect(await hub.em().count(WebhookEvent, { partner: other.partner.id, type: 'message.received' })).toBe(
      1,
    );
  });

  it('keeps payloads for unknown numbers and acknowledges them', async () => {
    const res = await postSigned(messagePayload('999', '123456789012345', 'nobody'));
    expect(res.status).toBe(200);
    const rows = await hub.em().find(MetaWebhook, {}, { orderBy: { id: 'desc' }, limit: 1 });
    expect(rows[0]!.body.toString('utf8')).toContain('123456789012345');
  });

  it('prunes routed raw payloads after 7 days and keeps unrouted ones', async () => {
    const em = hub.em();
    const old = new Date(hub.clock.now().getTime() - 8 * 24 * 3600 * 1000);
    const routed = em.create(MetaWebhook, { receivedAt: old, body: Buffer.from('{"old":1}'), routedAt: old });
    const unrouted = em.create(MetaWebhook, {
      receivedAt: old,
      body: Buffer.from('{"old":2}'),
      error: 'bug',
    });
    const recent = em.create(MetaWebhook, {
      receivedAt: hub.clock.now(),
      body: Buffer.from('{}'),
      routedAt: hub.clock.now(),
    });
    await em.flush();
    await hub.em().transactional((tx) => enqueue(tx, hub.clock, 'prune_expired', {}));
    await hub.drainJobs();
    const left = (await hub.em().find(MetaWebhook, { id: [routed.id, unrouted.id, recent.id] })).map(
      (m) => m.id,
    );
    expect(left.sort()).toEqual([unrouted.id, recent.id].sort());
  });

  it('disconnects on a ban (DISABLED_UPDATE with ["DISABLE"]) but not on a reinstatement', async () => {
    const channel = await liveChannelWithWebhook('/inbound-5');
    const update = (states: string[]) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: channel.wabaId,
          changes: [
            {
              field: 'account_update',
              value: {
                event: 'DISABLED_UPDATE',
                ban_info: { waba_ban_state: states, waba_ban_date: 'today' },
              },
            },
          ],
        },
      ],
    });
    expect((await postSigned(update(['REINSTATE']))).status).toBe(200);
    expect((await hub.em().findOneOrFail(Channel, channel.id)).status).toBe('live');
    expect((await postSigned(update(['SCHEDULE_FOR_DISABLE']))).status).toBe(200);
    expect((await hub.em().findOneOrFail(Channel, channel.id)).status).toBe('live');
    expect((await postSigned(update(['DISABLE']))).status).toBe(200);
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      status: 'disconnected',
      statusReason: 'DISABLED_UPDATE',
    });
  });

  it('marks the channel disconnected on PARTNER_REMOVED and records channel.updated', async () => {
    const channel = await liveChannelWithWebhook('/inbound-4');
    const control = await fetch(`${hub.url}/sandbox/control/account_update`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
      },
      body: JSON.stringify({ waba_id: channel.wabaId, event: 'PARTNER_REMOVED' }),
    });
    expect(control.status).toBe(200);
    const stored = await hub.em().findOneOrFail(Channel, channel.id);
    expect(stored).toMatchObject({
      status: 'disconnected',
      statusReason: 'PARTNER_REMOVED',
      wabaSubscribedAt: null,
    });
    const updated = await hub.em().find(WebhookEvent, { channel: channel.id, type: 'channel.updated' });
    expect(updated.map(dataOf)).toEqual([
      expect.objectContaining({ status: 'disconnected', changed_fields: ['status'] }),
    ]);
  });
});
