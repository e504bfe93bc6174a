import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { setClientStatus } from '../../server/modules/clients/client-status.service.ts';
import { KEY_CACHE_TTL_MS } from '../../server/modules/messaging/channel-key-verifier.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { revokePermission } from '../../server/modules/permissions/permissions.service.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel, TEST_ACTOR } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

describe('messaging API on channel API keys (/waba)', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let token: string;

  beforeAll(async () => {
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS'));
  });

  async function channelWithKey() {
    const { channel, client } = await onboardSandboxChannel(hub, partner);
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    expect(res.status).toBe(201);
    return { channel, client, apiKey: res.body.api_key as string, address: res.body.address as string };
  }

  const textMessage = {
    messaging_product: 'whatsapp',
    to: '4915112345678',
    type: 'text',
    text: { body: 'Hi!' },
  };

  it('sends through Graph with the channel token and returns Graph’s answer, with any of the key headers', async () => {
    const { apiKey, address } = await channelWithKey();
    expect(address).toBe(`${hub.url}/waba`);
    const headers = [
      { 'D360-API-KEY': apiKey },
      { 'X-API-Key': apiKey },
      { Authorization: `Bearer ${apiKey}` },
    ];
    for (const auth of headers) {
      const res = await fetch(`${address}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify(textMessage),
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({
        messaging_product: 'whatsapp',
        contacts: [{ input: '4915112345678', wa_id: '4915112345678' }],
        messages: [{ id: expect.stringMatching(/^wamid\./) }],
      });
    }
  });

  it('refuses a wrong key in X-API-Key like in the other headers', async () => {
    const { address } = await channelWithKey();
    const res = await fetch(`${address}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-API-Key': 'not-a-key' },
      body: JSON.stringify(textMessage),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('passes Graph’s own errors through unchanged', async () => {
    const { apiKey } = await channelWithKey();
    const res = await request(hub.app)
      .post('/waba/messages')
      .set('D360-API-KEY', apiKey)
      .send({ to: '4915112345678', type: 'text', text: { body: 'no product' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 100, fbtrace_id: expect.any(String) });
  });

  it('rejects missing, unknown and malformed requests with hub error codes', async () => {
    const { apiKey } = await channelWithKey();
    const noKey = await request(hub.app).post('/waba/messages').send(textMessage);
    expect([noKey.status, noKey.body.error.code]).toEqual([401, 'unauthorized']);
    const badKey = await request(hub.app)
      .post('/waba/messages')
      .set('D360-API-KEY', 'hubk_nope')
      .send(textMessage);
    expect([badKey.status, badKey.body.error.code]).toEqual([401, 'unauthorized']);
    const notJson = await request(hub.app)
      .post('/waba/messages')
      .set('D360-API-KEY', apiKey)
      .set('content-type', 'application/json')
      .send('{"to":');
    expect([notJson.status, notJson.body.error.code]).toEqual([400, 'invalid_json']);
    const array = await request(hub.app).post('/waba/messages').set('D360-API-KEY', apiKey).send([1]);
    expect([array.status, array.body.error.code]).toEqual([400, 'validation_failed']);
    const text = await request(hub.app)
      .post('/waba/messages')
      .set('D360-API-KEY', apiKey)
      .set('content-type', 'text/plain')
      .send('hello');
    expect([text.status, text.body.error.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('stops accepting a revoked key within a second', async () => {
    const { channel, apiKey } = await channelWithKey();
    const send = () => request(hub.app).post('/waba/messages').set('D360-API-KEY', apiKey).send(textMessage);
    expect((await send()).status).toBe(200);
    const keys = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    const keyId = keys.body.api_keys[0].id;
    const revoked = await request(hub.app)
      .delete(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys/${keyId}`)
      .set(bearer(token));
    expect(revoked.status).toBe(204);
    await sleep(KEY_CACHE_TTL_MS + 50);
    expect(KEY_CACHE_TTL_MS).toBeLessThanOrEqual(1000);
    const after = await send();
    expect([after.status, after.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it('stops accepting the keys of a channel whose permission was revoked', async () => {
    const { channel, apiKey } = await channelWithKey();
    const em = hub.em();
    await revokePermission(
      em,
      hub.clock,
      await em.findOneOrFail(Partner, partner.id),
      await em.findOneOrFail(Channel, channel.id, { populate: ['client'] }),
      TEST_ACTOR,
    );
    await sleep(KEY_CACHE_TTL_MS + 50);
    const res = await request(hub.app).post('/waba/messages').set('D360-API-KEY', apiKey).send(textMessage);
    expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it('stops accepting the keys of a suspended client, and accepts them again once reinstated', async () => {
    const { client, apiKey } = await channelWithKey();
    const send = () => request(hub.app).post('/waba/messages').set('D360-API-KEY', apiKey).send(textMessage);
    await setClientStatus(hub.em(), client.id, 'suspended', TEST_ACTOR);
    await sleep(KEY_CACHE_TTL_MS + 50);
    const refused = await send();
    expect([refused.status, refused.body.error.code]).toEqual([401, 'unauthorized']);
    await setClientStatus(hub.em(), client.id, 'active', TEST_ACTOR);
    await sleep(KEY_CACHE_TTL_MS + 50);
    expect((await send()).status).toBe(200);
  });

  it('never lets one channel’s key act on another channel', async () => {
    const a = await channelWithKey();
    const b = await channelWithKey();
    const setA = await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', a.apiKey)
      .send({ url: 'http://127.0.0.1:9/a-hook' });
    expect(setA.status).toBe(200);
    const readB = await request(hub.app).get('/waba/v1/configs/webhook').set('D360-API-KEY', b.apiKey);
    expect(readB.body).toEqual({ url: null, header_names: [] });
    const healthB = await request(hub.app).get('/waba/health_status').set('D360-API-KEY', b.apiKey);
    expect(healthB.body.channel_id).toBe(b.channel.id);
    expect(healthB.body.phone_number_id).toBe(b.channel.phoneNumberId);
  });

  it('sets and reads the channel webhook, with an SSRF check and sealed headers', async () => {
    const { apiKey, channel } = await channelWithKey();
    for (const url of [
      'http://169.254.169.254/latest',
      'http://10.0.0.8/hook',
      'ftp://example.com/x',
      'nope',
    ]) {
      const res = await request(hub.app)
        .post('/waba/v1/configs/webhook')
        .set('D360-API-KEY', apiKey)
        .send({ url });
      expect([res.status, res.body.error.code], url).toEqual([400, 'validation_failed']);
    }
    const reserved = await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', apiKey)
      .send({ url: 'https://app.example/hook', headers: { 'Webhook-Signature': 'x' } });
    expect([reserved.status, reserved.body.error.code]).toEqual([400, 'validation_failed']);

    const set = await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', apiKey)
      .send({ url: 'https://app.example/hook', headers: { Authorization: 'Basic c2VjcmV0' } });
    expect(set.body).toEqual({ url: 'https://app.example/hook', header_names: ['Authorization'] });
    const read = await request(hub.app).get('/waba/v1/configs/webhook').set('D360-API-KEY', apiKey);
    expect(read.body).toEqual(set.body);
    const [row] = await query<{ headers_sealed: string }>(
      hub.em(),
      `select headers_sealed from webhook_destinations where kind = 'channel_webhook' and channel_id = ?`,
      [channel.id],
    );
    expect(row?.headers_sealed).toMatch(/^v1\./);
    expect(row?.headers_sealed).not.toContain('c2VjcmV0');
    const audit = await hub
      .em()
      .find(AuditLog, { action: 'channel_webhook.updated', targetType: 'permission' });
    expect(audit.some((a) => a.actorType === 'channel_api_key')).toBe(true);
  });

  it('reports health from status, subscription, webhook and the token Meta still accepts', async () => {
    const { apiKey, channel } = await channelWithKey();
    const before = await request(hub.app).get('/waba/health_status').set('D360-API-KEY', apiKey);
    expect(before.body).toMatchObject({
      status: 'live',
      can_send_messages: true,
      can_receive_messages: false,
      reasons: ['webhook_not_configured'],
      meta_health_status: { can_send_message: 'AVAILABLE' },
    });
    await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', apiKey)
      .send({ url: 'https://app.example/hook' });
    const ready = await request(hub.app).get('/waba/health_status').set('D360-API-KEY', apiKey);
    expect(ready.body).toMatchObject({ can_send_messages: true, can_receive_messages: true, reasons: [] });

    // Meta expires the business token: health says so, and sending surfaces Graph's 190.
    const expire = await fetch(`${hub.url}/sandbox/control/tokens/expire`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
      },
      body: JSON.stringify({ waba_id: channel.wabaId }),
    });
    expect(expire.status).toBe(200);
    const expired = await request(hub.app).get('/waba/health_status').set('D360-API-KEY', apiKey);
    expect(expired.body).toMatchObject({ can_send_messages: false, reasons: ['token_invalid'] });
    const send = await request(hub.app).post('/waba/messages').set('D360-API-KEY', apiKey).send(textMessage);
    expect(send.body.error.code).toBe(190);
    await expect
      .poll(async () => (await hub.em().findOneOrFail(Channel, channel.id)).metaTokenInvalidAt)
      .toBeInstanceOf(Date);
  });
});
