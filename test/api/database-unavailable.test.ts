import net from 'node:net';
import { Writable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { generateToken, TOKEN_PREFIXES } from '../../server/crypto/tokens.ts';
import { createOrm } from '../../server/db/orm.ts';
import { DATABASE_RETRY_AFTER_SECONDS } from '../../server/errors.ts';
import { RateLimits } from '../../server/modules/rate-limits/rate-limits.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

/**
 * Each edge against a database that refuses connections, in process: the full outage with a
 * real server stopping and starting again is in test/process/database-outage.test.ts.
 */
describe('an unreachable database, at every edge', () => {
  let downUrl: string;
  let downOrm: MikroORM;
  let downPool: pg.Pool;
  let partner: { id: string };
  let token: string;

  beforeAll(async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    downUrl = `postgres://postgres@127.0.0.1:${port}/partner_hub`;
    downOrm = await createOrm(downUrl, { poolMax: 1 });
    downPool = new pg.Pool({ connectionString: downUrl, max: 1 });
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps));
  });

  afterAll(async () => {
    await downOrm?.close(true);
    await downPool?.end();
  });

  const expectUnavailable = (res: request.Response) => {
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  };

  it('REST: 503 database_unavailable with Retry-After, logged as a warning and not as an unhandled error', async () => {
    const { logger, lines } = capturingLogger();
    const app = createApp({ ...hub.deps, orm: downOrm, logger });
    const res = await request(app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    expectUnavailable(res);
    expect(res.body.error.code).toBe('database_unavailable');
    expect(lines.some((l) => l.level >= 50)).toBe(false);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, msg: 'database unavailable' }));
  });

  it('tRPC: HTTP 503, SERVICE_UNAVAILABLE, error_code database_unavailable and Retry-After', async () => {
    const { logger, lines } = capturingLogger();
    const app = createApp({ ...hub.deps, orm: downOrm, logger });
    const res = await request(app).get('/trpc/partner.me').set('X-API-Key', token);
    expectUnavailable(res);
    expect(res.body.error.data).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      error_code: 'database_unavailable',
    });
    expect(lines.some((l) => l.level >= 50)).toBe(false);
  });

  it('a rate limiter that cannot reach its store answers 503, never 429 or 500', async () => {
    const rateLimits = new RateLimits(downPool, {
      readPerMinute: 100,
      writePerMinute: 100,
      revealPerHour: 10,
    });
    const app = createApp({ ...hub.deps, rateLimits });
    const rest = await request(app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    expectUnavailable(rest);
    expect(rest.body.error.code).toBe('database_unavailable');
    const trpc = await request(app).get('/trpc/partner.me').set('X-API-Key', token);
    expectUnavailable(trpc);
    expect(trpc.body.error.data.error_code).toBe('database_unavailable');
  });

  it('/waba: a well-formed channel key that cannot be looked up is 503, not 401', async () => {
    const app = createApp({ ...hub.deps, orm: downOrm });
    const res = await request(app)
      .post('/waba/messages')
      .set('D360-API-KEY', generateToken(TOKEN_PREFIXES.channelApiKey))
      .set('content-type', 'application/json')
      .send({ messaging_product: 'whatsapp', to: '4915112345678', type: 'text', text: { body: 'hi' } });
    expectUnavailable(res);
    expect(res.body.error.code).toBe('database_unavailable');
  });

  it('hosted pages: a 503 page with Retry-After', async () => {
    const app = createApp({ ...hub.deps, orm: downOrm, pgPool: downPool });
    const res = await request(app).get(`/permissions/${partner.id}`).set('Accept', 'text/html');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    expect(res.headers['x-error-code']).toBe('database_unavailable');
    expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });
});
