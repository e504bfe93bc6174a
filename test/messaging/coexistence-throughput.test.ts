import pg from 'pg';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { RateLimits } from '../../server/modules/rate-limits/rate-limits.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

/**
 * The hub's own limit only: the sandbox behind it would also refuse past 20 messages/s (and
 * past the pair rate), which `test/sandbox/throughput.test.ts` covers.
 */
const hub = useTestHub({ SANDBOX_THROUGHPUT: 'false' }, { listen: true });
const MPS = 20;

/**
 * The budget is a fixed one-second window read from `Date.now()` by every process; holding the
 * clock still makes "within one second" hold however slowly this machine answers, and moving it
 * on opens the next second.
 */
function holdTheClock(): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
}
afterEach(() => {
  vi.useRealTimers();
});

describe('messaging API: coexistence numbers send at most 20 messages/s', () => {
  let partner: Partner;
  let token: string;

  beforeAll(async () => {
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS'));
  });

  async function channelWithKey(connection_type: 'cloud_api' | 'coexistence') {
    const { channel } = await onboardSandboxChannel(hub, partner, { connection_type });
    expect(channel.connectionType).toBe(connection_type);
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    expect(res.status).toBe(201);
    return { channelId: channel.id, apiKey: res.body.api_key as string };
  }

  let n = 0;
  async function send(apiKey: string) {
    const res = await fetch(`${hub.url}/waba/messages`, {
      method: 'POST',
      headers: { 'D360-API-KEY': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: `4915${String(n++).padStart(9, '0')}`,
        type: 'text',
        text: { body: 'Hi' },
      }),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as { error?: { code?: number } } & Record<string, unknown>,
    };
  }

  it('answers the 21st send of a second as Meta’s 130429, while a Cloud API number alongside is not limited', async () => {
    const coexistence = await channelWithKey('coexistence');
    const cloud = await channelWithKey('cloud_api');
    holdTheClock();
    const results = [];
    for (let i = 0; i < MPS + 3; i++) {
      results.push(await send(coexistence.apiKey));
      // The Cloud API number sends as much in the same second, and more.
      expect((await send(cloud.apiKey)).status).toBe(200);
      expect((await send(cloud.apiKey)).status).toBe(200);
    }
    expect(results.slice(0, MPS).map((r) => r.status)).toEqual(Array(MPS).fill(200));
    for (const refused of results.slice(MPS)) {
      expect(refused.status).toBe(400);
      expect(refused.retryAfter).toBe('1');
      expect(refused.body).toEqual({
        error: {
          message: '(#130429) Rate limit hit',
          type: 'OAuthException',
          code: 130429,
          error_data: { messaging_product: 'whatsapp', details: expect.stringContaining('throughput') },
          fbtrace_id: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/),
        },
      });
    }
    // The next second has a budget again.
    vi.setSystemTime(Date.now() + 1000);
    expect((await send(coexistence.apiKey)).status).toBe(200);
  });

  it('is exact with two bursts at once', async () => {
    const coexistence = await channelWithKey('coexistence');
    holdTheClock();
    const burst = () => Promise.all(Array.from({ length: 15 }, () => send(coexistence.apiKey)));
    const results = (await Promise.all([burst(), burst()])).flat();
    expect(results.filter((r) => r.status === 200)).toHaveLength(MPS);
    expect(results.filter((r) => r.body.error?.code === 130429)).toHaveLength(30 - MPS);
  });

  it('is exact across processes, each with its own connections to PostgreSQL', async () => {
    const pools = [1, 2, 3].map(() => new pg.Pool({ connectionString: hub.databaseUrl, max: 4 }));
    try {
      const processes = pools.map(
        (pool) =>
          new RateLimits(pool, {
            readPerMinute: 100,
            writePerMinute: 100,
            revealPerHour: 5,
            coexistenceMessagesPerSecond: MPS,
          }),
      );
      holdTheClock();
      const states = await Promise.all(
        processes.flatMap((p) =>
          Array.from({ length: 12 }, () => p.consume('chn_shared', 'coexistence_send')),
        ),
      );
      expect(states.filter((s) => s.allowed)).toHaveLength(MPS);
      expect(states.filter((s) => !s.allowed).every((s) => s.resetSeconds === 1)).toBe(true);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
