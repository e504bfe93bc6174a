import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub({ RATE_LIMIT_READ_PER_MINUTE: '3', RATE_LIMIT_WRITE_PER_MINUTE: '2' });

describe('rate limits', () => {
  it('sends the budget in headers and answers 429 rate_limited with Retry-After when it is spent', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const get = () => request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-policy']).toBe('"read";q=3;w=60');
    expect(first.headers.ratelimit).toMatch(/^"read";r=2;t=\d+$/);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    const reset = Number(first.headers['x-ratelimit-reset']);
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 61);

    await get();
    await get();
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('keeps read and write budgets apart, and counts per partner', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    for (let i = 0; i < 3; i++)
      await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    const write = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(token))
      .send({ brand_name: 'B' });
    expect(write.status).toBe(200);
    expect(write.headers['ratelimit-policy']).toBe('"write";q=2;w=60');

    const { token: otherToken, partner: other } = await partnerFactory(hub.em(), hub.deps, 'Other');
    expect((await request(hub.app).get(`/api/v2/partners/${other.id}`).set(bearer(otherToken))).status).toBe(
      200,
    );
  });

  it('limits tRPC calls with the same budgets', async () => {
    const { token } = await partnerFactory(hub.em(), hub.deps);
    for (let i = 0; i < 3; i++) await hub.trpc(token).partner.me();
    await expect(hub.trpc(token).partner.me()).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // Over HTTP, each call on its own partner's budget (a fresh one: the 4th call is refused).
    const { token: httpToken } = await partnerFactory(hub.em(), hub.deps, 'Over HTTP');
    const call = () => request(hub.app).get('/trpc/partner.me').set(bearer(httpToken));
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
    const res = await call();
    expect(res.status).toBe(429);
    expect(res.body.error.data.error_code).toBe('rate_limited');
    expect(res.headers['retry-after']).toBeDefined();
  });
});
