import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateToken, TOKEN_PREFIXES } from '../../server/crypto/tokens.ts';
import { PartnerToken } from '../../server/modules/partners/partner-token.entity.ts';
import { channelApiKeyFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, type PartnerWithChannel, partnerWithChannel } from '../support/scenarios.ts';

// TRUST_PROXY lets each test speak from the address it names in X-Forwarded-For.
const hub = useTestHub({ TRUST_PROXY: 'true', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3' });

describe('failed authentication budget per address', () => {
  let world: PartnerWithChannel;
  let apiKey: string;
  const forgedToken = () => generateToken(TOKEN_PREFIXES.partnerToken);
  const forgedKey = () => generateToken(TOKEN_PREFIXES.channelApiKey);

  beforeAll(async () => {
    world = await partnerWithChannel(hub);
    apiKey = (await channelApiKeyFactory(hub.em(), world.partner, world.channel)).key;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const rest = (ip: string, token: string) =>
    request(hub.app)
      .get(`/api/v2/partners/${world.partner.id}`)
      .set(bearer(token))
      .set('X-Forwarded-For', ip);
  const trpcBatch = (ip: string, token: string, calls: number) =>
    request(hub.app)
      .get(`/trpc/${Array(calls).fill('partner.me').join(',')}?batch=1`)
      .set(bearer(token))
      .set('X-Forwarded-For', ip);
  const waba = (ip: string, key: string) =>
    request(hub.app).get('/waba/v1/configs/webhook').set('D360-API-KEY', key).set('X-Forwarded-For', ip);

  it('counts failures from REST, tRPC (once per batch) and /waba, then answers 429 before any lookup', async () => {
    const attacker = '203.0.113.7';
    expect((await rest(attacker, forgedToken())).status).toBe(401);
    const batch = await trpcBatch(attacker, forgedToken(), 5);
    expect(batch.status).toBe(401);
    // The third failure of three: a batch of five counted as one request.
    expect((await waba(attacker, forgedKey())).status).toBe(401);

    const lookups = vi.spyOn(Object.getPrototypeOf(hub.em()), 'findOne');
    const refused = await rest(attacker, world.token);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(lookups.mock.calls.filter(([entity]) => entity === PartnerToken)).toHaveLength(0);

    const trpc = await trpcBatch(attacker, world.token, 1);
    expect(trpc.status).toBe(429);
    expect(trpc.body[0].error.data.error_code).toBe('rate_limited');
    const key = await waba(attacker, apiKey);
    expect([key.status, key.body.error?.code]).toEqual([429, 'rate_limited']);
  });

  it('leaves other addresses alone', async () => {
    const neighbour = '203.0.113.8';
    expect((await rest(neighbour, world.token)).status).toBe(200);
    expect((await rest(neighbour, forgedToken())).status).toBe(401);
    expect((await waba(neighbour, apiKey)).status).toBe(200);
  });

  it("charges an IPv6 address's whole /64, and an IPv4-mapped address as the IPv4 one", async () => {
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3'])
      expect((await rest(ip, forgedToken())).status).toBe(401);
    expect((await rest('2001:db8:1:2::4', world.token)).status).toBe(429);
    expect((await rest('2001:db8:1:3::1', world.token)).status).toBe(200);

    for (const ip of ['198.51.100.4', '::ffff:198.51.100.4', '198.51.100.4'])
      expect((await rest(ip, forgedToken())).status).toBe(401);
    expect((await rest('::ffff:198.51.100.4', world.token)).status).toBe(429);
  });

  it('does not count successful requests', async () => {
    const busy = '203.0.113.9';
    for (let i = 0; i < 5; i++) expect((await rest(busy, world.token)).status).toBe(200);
    expect((await rest(busy, forgedToken())).status).toBe(401);
  });
});
