import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { failureCategory } from '../../server/modules/webhooks/delivery/failure-category.ts';
import { WebhookSender } from '../../server/modules/webhooks/delivery/sender.ts';
import { addressProblem } from '../../server/security/address-policy.ts';
import { BlockedTargetError } from '../../server/security/ssrf-guard.ts';
import { channelApiKeyFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';

describe('address policy', () => {
  it('judges IPv4-compatible and NAT64 forms of private addresses as private', () => {
    for (const address of [
      '::10.0.0.1',
      '::a00:1', // the same, in hex: ipaddr.js alone calls it unicast
      '::a9fe:a9fe', // ::169.254.169.254
      '::ffff:a9fe:a9fe',
      '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
      '64:ff9b::a00:1',
      '64:ff9b:1::a00:1', // local-use NAT64 prefix
      '::',
      '::1',
    ]) {
      expect(addressProblem(address, false), address).toBe('private_address');
    }
    expect(addressProblem('::1', true)).toBeNull();
    expect(addressProblem('::7f00:1', true)).toBeNull(); // ::127.0.0.1, loopback when allowed
    expect(addressProblem('8.8.8.8', false)).toBeNull();
    expect(addressProblem('2a00:1450:4001::1', false)).toBeNull();
  });

  it('describes failures by category, never with the address they reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:443'), { code: 'ECONNREFUSED' });
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND internal.corp'), { code: 'ENOTFOUND' });
    expect(failureCategory(refused)).toBe('connection_refused');
    expect(failureCategory(new TypeError('fetch failed', { cause: dns }))).toBe('dns_failure');
    expect(failureCategory(new BlockedTargetError('private_address'))).toBe('blocked: private_address');
    expect(failureCategory(new Error('something with 10.1.2.3 in it'))).toBe('network_error');
  });

  it('an attempt to a literal private address records the category only', async () => {
    const sender = new WebhookSender({ requireHttps: false, allowLoopback: true, timeoutMs: 2000 });
    try {
      const result = await sender.send('http://[::a00:1]/hook', {}, '{}');
      expect(result.error).toBe('blocked: private_address');
    } finally {
      await sender.close();
    }
  });
});

const hub = useTestHub();
const METADATA = 'https://169.254.169.254/latest/meta-data/';

describe('webhook URLs are checked when they are set', () => {
  const refused = (res: request.Response, field: string) => {
    expect([res.status, res.body.error?.code], res.text).toEqual([422, 'webhook_url_not_allowed']);
    expect(res.body.error.details).toEqual({ field, category: 'private_address' });
  };

  it('the partner webhook_url', async () => {
    const { partner, token } = await partnerWithChannel(hub, 'SSRF partner');
    for (const url of [
      METADATA,
      'https://10.0.0.8/hook',
      'https://[::a9fe:a9fe]/',
      'https://[64:ff9b::a00:1]/',
    ]) {
      const res = await request(hub.app)
        .patch(`/api/v2/partners/${partner.id}`)
        .set(bearer(token))
        .send({ webhook_url: url });
      refused(res, 'webhook_url');
    }
  });

  it('webhook endpoints, on create and update', async () => {
    const { partner, token } = await partnerWithChannel(hub, 'SSRF endpoints');
    const base = `/api/v2/partners/${partner.id}/webhook_endpoints`;
    refused(await request(hub.app).post(base).set(bearer(token)).send({ url: METADATA }), 'url');
    const ok = await request(hub.app).post(base).set(bearer(token)).send({ url: 'https://hooks.example/a' });
    expect(ok.status).toBe(201);
    const patched = await request(hub.app)
      .patch(`${base}/${ok.body.id}`)
      .set(bearer(token))
      .send({ url: 'https://192.168.0.10/a' });
    refused(patched, 'url');
  });

  it('the onboarding webhook_override_url, even with skip_webhook_preflight', async () => {
    const { partner, token } = await partnerWithChannel(hub, 'SSRF onboarding');
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/onboarding_sessions`)
      .set(bearer(token))
      .send({
        tenant_id: 't-1',
        webhook_override_url: METADATA,
        webhook_verify_token: 'verify',
        skip_webhook_preflight: true,
      });
    refused(res, 'webhook_override_url');
  });

  it('the channel webhook set with a channel API key', async () => {
    const { partner, channel } = await partnerWithChannel(hub, 'SSRF channel');
    const { key } = await channelApiKeyFactory(hub.em(), partner, channel);
    const res = await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', key)
      .send({ url: 'https://[::ffff:10.0.0.1]/hook' });
    refused(res, 'url');
  });

  it('loopback stays allowed where the hub allows it (tests, local demo)', async () => {
    const { partner, token } = await partnerWithChannel(hub, 'SSRF loopback');
    const res = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(token))
      .send({ webhook_url: 'https://127.0.0.1:9/hook' });
    expect(res.status).toBe(200);
  });
});
