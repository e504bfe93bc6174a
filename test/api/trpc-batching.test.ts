import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { generateToken, TOKEN_PREFIXES } from '../../server/crypto/tokens.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { PartnerToken } from '../../server/modules/partners/partner-token.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub({ RATE_LIMIT_READ_PER_MINUTE: '100000' });

/** Every partner-token lookup goes through `findOne(PartnerToken, …)` on a forked EntityManager. */
function watchTokenLookups() {
  const spy: MockInstance = vi.spyOn(Object.getPrototypeOf(hub.em()), 'findOne');
  return { count: () => spy.mock.calls.filter(([entity]) => entity === PartnerToken).length };
}

const batchOf = (n: number, path = 'partner.me') => `/trpc/${Array(n).fill(path).join(',')}?batch=1`;

describe('tRPC batches', () => {
  let partner: Partner;
  let token: string;

  beforeAll(async () => {
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('refuses a batch over the cap with 413 batch_too_large before any call runs', async () => {
    const lookups = watchTokenLookups();
    const forged = generateToken(TOKEN_PREFIXES.partnerToken);
    const res = await request(hub.app).get(batchOf(1300)).set(bearer(forged));
    expect(res.status).toBe(413);
    expect(res.body.error.data).toMatchObject({ error_code: 'batch_too_large', httpStatus: 413 });
    expect(lookups.count()).toBe(0);
  });

  it('serves a batch at the cap', async () => {
    const res = await request(hub.app).get(batchOf(20)).set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(20);
    expect(
      res.body.every((r: { result?: { data?: { id?: string } } }) => r.result?.data?.id === partner.id),
    ).toBe(true);
  });

  it('looks the token up once for all the calls of a batch', async () => {
    // From cold: a warm token cache would answer without any lookup.
    hub.deps.partnerTokens.clear();
    const lookups = watchTokenLookups();
    const res = await request(hub.app).get(batchOf(5)).set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(5);
    expect(lookups.count()).toBe(1);
  });

  it('looks a forged token up once, and every call of the batch is refused', async () => {
    const lookups = watchTokenLookups();
    const forged = generateToken(TOKEN_PREFIXES.partnerToken);
    const res = await request(hub.app).get(batchOf(5)).set(bearer(forged));
    expect(res.status).toBe(401);
    expect(res.body.map((r: { error: { data: { error_code: string } } }) => r.error.data.error_code)).toEqual(
      Array(5).fill('unauthorized'),
    );
    expect(lookups.count()).toBe(1);
  });
});
