import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { CREDENTIAL_CACHE_TTL_MS } from '../../server/auth/credential-cache.ts';
import { parseConfig } from '../../server/config/env.ts';
import { type Hub, openHub } from '../../server/hub.ts';
import { createLogger } from '../../server/logger.ts';
import { partnerFactory } from '../support/factories.ts';
import { TEST_HUB_SECRET, useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();

/** The bound the issue sets: a token ended through one process stops working on all within 1 s. */
const WITHIN_MS = 1000;

/**
 * A second hub on the same database, with its own ORM and so its own token cache: what another
 * process would have.
 */
let other: Hub;
let otherApp: Express;

beforeAll(async () => {
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: hub.databaseUrl,
    HUB_SECRET: TEST_HUB_SECRET,
    META_MODE: 'sandbox',
  });
  other = await openHub(config, createLogger('silent'), {
    poolMax: 5,
    clock: hub.clock,
    workerStatus: () => 'running',
  });
  otherApp = createApp(other);
});

afterAll(async () => {
  await other?.close();
});

/** Polls `app` with `token` until it is refused; the milliseconds that took, or fails past the bound. */
async function refusedWithin(
  app: Express,
  partnerId: string,
  token: string,
  boundMs: number,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await request(app).get(`/api/v2/partners/${partnerId}`).set(bearer(token));
    const elapsed = performance.now() - started;
    if (res.status === 401) return elapsed;
    expect(res.status).toBe(200);
    if (elapsed > boundMs) throw new Error(`still accepted ${Math.round(elapsed)} ms after it was ended`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the partner token cache across processes', () => {
  it('is shorter than the revocation bound', () => {
    expect(CREDENTIAL_CACHE_TTL_MS).toBeLessThan(WITHIN_MS);
  });

  it('a token revoked through one hub is refused by the other within 1 s, and at once by the first', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const rotated = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(token))
      .send({ grace_period_seconds: 600 });
    expect(rotated.status).toBe(201);
    // Both hubs have the old token in their caches.
    for (const app of [hub.app, otherApp]) {
      expect((await request(app).get(`/api/v2/partners/${partner.id}`).set(bearer(token))).status).toBe(200);
    }
    const tokens = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(rotated.body.token));
    const oldId = tokens.body.tokens.find((t: { last4: string }) => t.last4 === token.slice(-4)).id;
    const revoked = await request(hub.app)
      .delete(`/api/v2/partners/${partner.id}/tokens/${oldId}`)
      .set(bearer(rotated.body.token));
    expect(revoked.status).toBe(204);

    expect(await refusedWithin(hub.app, partner.id, token, 0)).toBeLessThan(WITHIN_MS);
    expect(await refusedWithin(otherApp, partner.id, token, WITHIN_MS)).toBeLessThan(WITHIN_MS);
  });

  it('a token rotated away (grace 0) through one hub is refused by the other within 1 s', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    expect((await request(otherApp).get(`/api/v2/partners/${partner.id}`).set(bearer(token))).status).toBe(
      200,
    );
    const rotated = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(token))
      .send({ grace_period_seconds: 0 });
    expect(rotated.status).toBe(201);
    expect(await refusedWithin(otherApp, partner.id, token, WITHIN_MS)).toBeLessThan(WITHIN_MS);
    expect(
      (await request(otherApp).get(`/api/v2/partners/${partner.id}`).set(bearer(rotated.body.token))).status,
    ).toBe(200);
  });

  it('a token whose grace window ends is refused at once, cached or not', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const rotated = await request(otherApp)
      .post(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(token))
      .send({ grace_period_seconds: 60 });
    expect(rotated.status).toBe(201);
    expect((await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token))).status).toBe(
      200,
    );
    hub.clock.advance(61_000);
    expect((await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token))).status).toBe(
      401,
    );
  });
});
