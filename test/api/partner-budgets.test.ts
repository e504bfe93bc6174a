import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PartnerToken } from '../../server/modules/partners/partner-token.entity.ts';
import { partnerFactory, partnerTokenFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

// Each token may spend half of its partner's budget.
const hub = useTestHub({ RATE_LIMIT_READ_PER_MINUTE: '4', RATE_LIMIT_TOKEN_SHARE_PERCENT: '50' });

describe('budgets are per partner, with a per-token cap inside', () => {
  it('gives a new token no fresh budget: the partner budget is shared, each token capped at its share', async () => {
    const { partner, token: first } = await partnerFactory(hub.em(), hub.deps);
    const { token: second } = await partnerTokenFactory(hub.em(), partner);
    const { token: third } = await partnerTokenFactory(hub.em(), partner);
    const get = (token: string) => request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));

    expect((await get(first)).status).toBe(200);
    expect((await get(first)).status).toBe(200);
    const capped = await get(first);
    expect([capped.status, capped.body.error.code]).toEqual([429, 'rate_limited']);
    expect(capped.headers['ratelimit-policy']).toBe('"read";q=2;w=60');

    // Over tRPC too: queries spend the same read budget.
    await hub.trpc(second).partner.me();
    const last = await get(second);
    expect(last.status).toBe(200);
    expect(last.headers['x-ratelimit-remaining']).toBe('0');

    // The third token never called, yet the partner's budget is spent.
    const spent = await get(third);
    expect([spent.status, spent.body.error.code]).toEqual([429, 'rate_limited']);
    expect(spent.headers['ratelimit-policy']).toBe('"read";q=4;w=60');
    await expect(hub.trpc(third).partner.me()).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });

    const { partner: other, token: otherToken } = await partnerFactory(hub.em(), hub.deps, 'Other');
    expect((await request(hub.app).get(`/api/v2/partners/${other.id}`).set(bearer(otherToken))).status).toBe(
      200,
    );
  });
});

describe('live tokens per partner', () => {
  it('are capped at 10: an 11th is 409 too_many_tokens until one ends', async () => {
    const { partner, token: first } = await partnerFactory(hub.em(), hub.deps);
    // Each rotation's new token keeps the older ones alive for an hour: ten live tokens.
    const tokens = [first];
    for (let i = 0; i < 9; i++) {
      const res = await hub.trpc(tokens.at(-1)).tokens.rotate({ grace_period_seconds: 3600 });
      tokens.push(res.token);
    }
    const newest = tokens.at(-1)!;
    const refused = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(newest))
      .send({ grace_period_seconds: 3600 });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'too_many_tokens']);
    await expect(hub.trpc(newest).tokens.rotate({ grace_period_seconds: 60 })).rejects.toMatchObject({
      code: 'CONFLICT',
      cause: { code: 'too_many_tokens' },
    });
    expect(await hub.em().count(PartnerToken, { partner: partner.id })).toBe(10);

    // Revoking one frees a place; a rotation that ends the others at once always fits.
    const { tokens: listed } = await hub.trpc(newest).tokens.list();
    await hub.trpc(newest).tokens.revoke({ token_id: listed.at(-1)!.id });
    const fits = await hub.trpc(newest).tokens.rotate({ grace_period_seconds: 3600 });
    const ended = await hub.trpc(fits.token).tokens.rotate({ grace_period_seconds: 0 });
    expect((await hub.trpc(ended.token).tokens.list()).tokens.map((t) => t.id)).toEqual([ended.id]);
  });
});
