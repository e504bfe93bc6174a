import { gzipSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { textMessage } from '../support/waba.ts';

/**
 * `POST /waba/messages` is served before Express (issue 14's proxy goal): what every other route
 * gets from the app's middleware must still be there.
 */
describe('POST /waba/messages, served before Express', () => {
  const hub = useTestHub(
    { TRUST_PROXY: 'loopback', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3' },
    { listen: true },
  );
  let apiKey: string;

  beforeAll(async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'Fast Path SaaS');
    const { channel } = await onboardSandboxChannel(hub, partner);
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    apiKey = res.body.api_key;
  });

  const send = (path = '/waba/messages') =>
    request(hub.app).post(path).set('D360-API-KEY', apiKey).set('content-type', 'application/json');

  async function durationCount(route: string, status: string): Promise<number> {
    const { values } = await hub.deps.metrics.httpDuration.get();
    const count = values.find(
      (v) =>
        v.metricName === 'partner_hub_http_request_duration_seconds_count' &&
        v.labels.route === route &&
        v.labels.status === status &&
        v.labels.method === 'POST',
    );
    return count?.value ?? 0;
  }

  it('answers with helmet’s headers, no-store, the caller’s request id, and counts under its route', async () => {
    const before = await durationCount('/waba/messages', '200');
    const res = await send().set('X-Request-Id', 'trace-123').send(textMessage('Hi'));
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(await durationCount('/waba/messages', '200')).toBe(before + 1);
  });

  it('takes a trailing slash and a query string as Express routing did; other spellings and methods are 404', async () => {
    expect((await send('/waba/messages/').send(textMessage('a'))).status).toBe(200);
    expect((await send('/waba/messages?x=1').send(textMessage('b'))).status).toBe(200);
    const upper = await send('/WABA/messages').send(textMessage('c'));
    expect(upper.status).toBe(404);
    expect(upper.body.error.code).toBe('not_found');
    const get = await request(hub.app).get('/waba/messages').set('D360-API-KEY', apiKey);
    expect(get.status).toBe(404);
  });

  it('refuses bad bodies with the error table’s codes, in JSON', async () => {
    const plain = await send().set('content-type', 'text/plain').send('hello');
    expect(plain.status).toBe(415);
    expect(plain.body.error.code).toBe('unsupported_media_type');
    const broken = await send().send('{"to":');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const array = await send().send('[]');
    expect(array.status).toBe(400);
    expect(array.body.error.code).toBe('validation_failed');
    const huge = await send().send(JSON.stringify({ text: { body: 'x'.repeat(1024 * 1024) } }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const unknownEncoding = await send().set('content-encoding', 'br-x').send('{}');
    expect(unknownEncoding.status).toBe(415);
    expect(unknownEncoding.headers['content-type']).toMatch(/^application\/json/);
    const empty = await request(hub.app).post('/waba/messages').set('D360-API-KEY', apiKey);
    expect(empty.status).toBe(415);
    expect(empty.body.error.code).toBe('unsupported_media_type');
  });

  it('takes a gzip-compressed body as body-parser does (inflated, same limit)', async () => {
    // Over real HTTP: supertest would JSON-encode a Buffer sent as application/json.
    const post = (body: Buffer) =>
      fetch(`${hub.url}/waba/messages`, {
        method: 'POST',
        headers: { 'D360-API-KEY': apiKey, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body,
      });
    const zipped = await post(gzipSync(Buffer.from(textMessage('zipped'))));
    expect(zipped.status).toBe(200);
    const answer = (await zipped.json()) as { messages: { id: string }[] };
    expect(answer.messages[0]!.id).toMatch(/^wamid\./);
    // 2 MB of JSON inflates past the 1 MB limit from a few kB on the wire.
    const refused = await post(
      gzipSync(Buffer.from(JSON.stringify({ text: { body: 'x'.repeat(2 ** 21) } }))),
    );
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('carries the same security headers as a route served by Express, on answers and on errors', async () => {
    const security = (headers: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(headers).filter(
          ([name]) => !/^(date|connection|keep-alive|content-|x-request-id|etag|vary|retry-after)/.test(name),
        ),
      );
    // A 404 from Express's own stack, with no-store added as every API mount adds it.
    const routed = await request(hub.app).get('/waba/no-such-route').set('D360-API-KEY', apiKey);
    expect(routed.status).toBe(404);
    const sent = await send().send(textMessage('headers'));
    expect(sent.status).toBe(200);
    expect(security(sent.headers)).toEqual(security(routed.headers));
    const refused = await request(hub.app)
      .post('/waba/messages')
      .set('D360-API-KEY', 'hubk_not-a-key')
      .set('X-Request-Id', 'refused-1')
      .set('content-type', 'application/json')
      .send('{}');
    expect(refused.status).toBe(401);
    expect(refused.headers['x-request-id']).toBe('refused-1');
    expect(security(refused.headers)).toEqual(security(routed.headers));
  });

  it('charges failed keys to the forwarded address when the proxy is trusted, and counts them under /waba/*', async () => {
    const before = await durationCount('/waba/*', '401');
    const attempt = (ip: string) =>
      request(hub.app)
        .post('/waba/messages')
        .set('D360-API-KEY', 'not-a-key')
        .set('X-Forwarded-For', ip)
        .set('content-type', 'application/json')
        .send('{}');
    for (let i = 0; i < 3; i++) expect((await attempt('203.0.113.7')).status).toBe(401);
    const blocked = await attempt('203.0.113.7');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another address behind the same proxy has its own budget.
    expect((await attempt('198.51.100.9')).status).toBe(401);
    expect(await durationCount('/waba/*', '401')).toBe(before + 4);
  });

  it('writes one log line per send with the request id and a redacted URL', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = { write: (line: string) => lines.push(JSON.parse(line)) };
    const app = createApp({ ...hub.deps, logger: pino({ level: 'info' }, sink) });
    const res = await request(app)
      .post('/waba/messages?secret=1')
      .set('D360-API-KEY', apiKey)
      .set('content-type', 'application/json')
      .set('X-Request-Id', 'log-me')
      .send(textMessage('logged'));
    expect(res.status).toBe(200);
    const line = lines.find((l) => (l.req as { id?: string } | undefined)?.id === 'log-me');
    expect(line).toMatchObject({
      req: { method: 'POST', url: '/waba/messages?[redacted]' },
      res: { statusCode: 200 },
    });
    expect(JSON.stringify(line)).not.toContain(apiKey);
    // The same fields, in the same shape, as pino-http's line for a route served by Express.
    await request(app).get('/api/v2/no-such-route').set('X-Request-Id', 'log-express');
    const express = lines.find((l) => (l.req as { id?: string } | undefined)?.id === 'log-express');
    expect(Object.keys(line!).sort()).toEqual(Object.keys(express!).sort());
    expect(Object.keys(line!.req as object).sort()).toEqual(Object.keys(express!.req as object).sort());
    expect(line!.msg).toBe(express!.msg);
    expect(line!.level).toBe(express!.level);
    expect(typeof line!.responseTime).toBe('number');
  });

  it('logs a refused send once, with its status and request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = { write: (line: string) => lines.push(JSON.parse(line)) };
    const app = createApp({ ...hub.deps, logger: pino({ level: 'info' }, sink) });
    const res = await request(app)
      .post('/waba/messages')
      .set('X-Request-Id', 'log-refused')
      .set('content-type', 'application/json')
      .send('{}');
    expect(res.status).toBe(401);
    const logged = lines.filter((l) => (l.req as { id?: string } | undefined)?.id === 'log-refused');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ res: { statusCode: 401 }, msg: 'request completed' });
  });
});
