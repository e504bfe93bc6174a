import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { headerNameProblem, headerValueProblem, validHeaders } from '../../server/http/header-fields.ts';
import { channelApiKeyFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { partnerWithChannel } from '../support/scenarios.ts';

describe('channel-webhook header fields', () => {
  it('names are RFC 9110 tokens, never reserved, hop-by-hop or prototype keys', () => {
    for (const ok of ['Authorization', 'X-Api-Key', "x!#$%&'*+.^_`|~1"])
      expect(headerNameProblem(ok), ok).toBeNull();
    for (const bad of [
      'Bad Name',
      'X-A\r\nX-B',
      'X:A',
      '',
      'Connection',
      'keep-alive',
      'TE',
      'Upgrade',
      'Proxy-Authorization',
      'Transfer-Encoding',
      'Webhook-Signature',
      '__proto__',
      'constructor',
      'prototype',
    ]) {
      expect(headerNameProblem(bad), JSON.stringify(bad)).not.toBeNull();
    }
  });

  it('values are visible ASCII with SP or HTAB inside, nothing that could split the request', () => {
    for (const ok of ['Basic c2VjcmV0', 'a\tb', '', 'x']) expect(headerValueProblem(ok), ok).toBeNull();
    for (const bad of [
      'a\r\nX-Injected: 1',
      'a\nb',
      'a\rb',
      'a\u0000b',
      ' padded',
      'padded ',
      'caf\u00e9',
      '\ud800',
    ]) {
      expect(headerValueProblem(bad), JSON.stringify(bad)).not.toBeNull();
    }
  });

  it('deliveries use only valid entries, in an object without a prototype', () => {
    const stored = JSON.parse('{"__proto__":"x","X-Ok":"yes","X-Bad":"a\\r\\nb","Bad Name":"v"}');
    const headers = validHeaders(stored);
    expect(Object.getPrototypeOf(headers)).toBeNull();
    expect({ ...headers }).toEqual({ 'X-Ok': 'yes' });
  });
});

const hub = useTestHub();

describe('POST /waba/v1/configs/webhook headers', () => {
  async function apiKey() {
    const world = await partnerWithChannel(hub, `Headers ${Math.random()}`);
    const key = await channelApiKeyFactory(hub.em(), world.partner, world.channel);
    return key.key;
  }

  it('refuses CR/LF/NUL in values and non-token, hop-by-hop or prototype names with 400 validation_failed', async () => {
    const key = await apiKey();
    for (const headers of [
      '{"X-A":"a\\r\\nX-Injected: 1"}',
      '{"X-A":"a\\nb"}',
      '{"X-A":"a\\u0000b"}',
      '{"Bad Name":"x"}',
      '{"__proto__":"x"}',
      '{"constructor":"x"}',
      '{"Keep-Alive":"timeout=5"}',
      '{"TE":"trailers"}',
    ]) {
      const res = await request(hub.app)
        .post('/waba/v1/configs/webhook')
        .set('D360-API-KEY', key)
        .set('content-type', 'application/json')
        .send(`{"url":"https://app.example/hook","headers":${headers}}`);
      expect([res.status, res.body.error?.code], headers).toEqual([400, 'validation_failed']);
    }
    const read = await request(hub.app).get('/waba/v1/configs/webhook').set('D360-API-KEY', key);
    expect(read.body).toEqual({ url: null, header_names: [] });
  });

  it('stores valid headers', async () => {
    const key = await apiKey();
    const res = await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', key)
      .send({ url: 'https://app.example/hook', headers: { Authorization: 'Bearer a\tb', 'X-Tenant': '42' } });
    expect(res.status).toBe(200);
    expect(res.body.header_names).toEqual(['Authorization', 'X-Tenant']);
  });
});
