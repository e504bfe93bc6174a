import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import {
  BENCH_HUB_SECRET,
  type BenchChannel,
  onboardBenchChannel,
  startBenchHub,
  startBenchWorker,
} from '../bench/hub-processes.ts';
import { useTestHub } from '../support/hub.ts';
import { type HubProcess, runCli } from '../support/processes.ts';
import { sendText } from '../support/waba.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const hub = useTestHub();
const PARTNERS = 6;
const PINGS_PER_PARTNER = 40;
/** Every partner's read budget on both APIs (the load itself is writes). */
const READS_PER_MINUTE = 60;

/**
 * Two API processes and two worker processes on one database, as compose.yaml runs them, with
 * load through both APIs and one worker stopped mid-load.
 */
describe('scale-out: 2 API and 2 worker processes on one PostgreSQL', () => {
  let apiA: HubProcess;
  let apiB: HubProcess;
  const workers: ReturnType<typeof startBenchWorker>[] = [];
  let receiver: WebhookReceiver;
  let channel: BenchChannel;
  const env = () => ({ DATABASE_URL: hub.databaseUrl, WORKER_DEAD_AFTER_SECONDS: '3', LOG_LEVEL: 'error' });
  const apiEnv = { WORKER_ENABLED: 'false', RATE_LIMIT_READ_PER_MINUTE: String(READS_PER_MINUTE) };

  beforeAll(async () => {
    receiver = (await WebhookReceiver.start()).otherwiseRespond({ status: 200, delayMs: 5 });
    [apiA, apiB] = await Promise.all([
      startBenchHub(hub.databaseUrl, { ...env(), ...apiEnv }),
      startBenchHub(hub.databaseUrl, { ...env(), ...apiEnv }),
    ]);
    workers.push(
      startBenchWorker(hub.databaseUrl, apiA.url, env()),
      startBenchWorker(hub.databaseUrl, apiA.url, env()),
    );
    channel = await onboardBenchChannel(apiA.url, env());
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all([apiA?.stop(), apiB?.stop()]);
    await receiver?.close();
  });

  const call = (base: string, token: string, method: string, path: string, body?: unknown) =>
    fetch(`${base}/api/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** A partner created with the CLI, as an operator would. */
  async function createPartner(name: string, webhookUrl?: string): Promise<{ id: string; token: string }> {
    const args = [
      'partners',
      'create',
      '--name',
      name,
      ...(webhookUrl ? ['--webhook-url', webhookUrl] : []),
      '--json',
    ];
    const res = await runCli(args, { ...env(), HUB_SECRET: BENCH_HUB_SECRET, PUBLIC_URL: apiA.url });
    if (res.code !== 0) throw new Error(res.stderr);
    return JSON.parse(res.stdout) as { id: string; token: string };
  }

  it('delivers every event once per webhook-id while one worker is stopped mid-load, with both workers working', async () => {
    const partners = await Promise.all(
      Array.from({ length: PARTNERS }, (_, i) => createPartner(`Load ${i}`, `${receiver.url}/hooks`)),
    );
    const em = hub.em();
    // Which worker processes hold jobs, sampled while the load runs.
    const seen = new Set<string>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rows = await query<{ process: string }>(
          em,
          `select distinct h.process from graphile_worker.jobs j
             join worker_heartbeats h on h.pool_id = j.locked_by where j.locked_by is not null`,
        );
        for (const r of rows) seen.add(r.process);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const eventIds: string[] = [];
    const ping = async (base: string, p: { id: string; token: string }) => {
      const res = await call(base, p.token, 'POST', `/partners/${p.id}/webhook_endpoints/primary/test`, {});
      expect(res.status).toBe(201);
      eventIds.push(((await res.json()) as { event_id: string }).event_id);
    };
    for (let round = 0; round < PINGS_PER_PARTNER; round++) {
      // Alternate the APIs; every partner pings in each round.
      await Promise.all(partners.map((p, i) => ping((round + i) % 2 ? apiA.url : apiB.url, p)));
      if (round === PINGS_PER_PARTNER / 2) {
        // Mid-load, one worker is asked to stop; the other carries on alone.
        await expect.poll(() => seen.size, { timeout: 15_000 }).toBe(2);
        await workers[0]!.stop();
      }
    }
    const expected = new Set(eventIds);
    expect(expected.size).toBe(PARTNERS * PINGS_PER_PARTNER);
    const ids = () => new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
    await expect.poll(() => [...expected].filter((id) => !ids().has(id)).length, { timeout: 60_000 }).toBe(0);
    sampling = false;
    await sampler;
    // Nothing but our events, and duplicates (at-least-once) only ever repeat a webhook-id.
    expect([...ids()].every((id) => expected.has(id))).toBe(true);
    expect(seen.size).toBe(2);
    // The last outcomes may still be in a group commit when their POSTs have been received.
    const unfinished = async () =>
      (
        await query<{ n: number }>(
          hub.em(),
          `select count(*)::int as n from webhook_deliveries where status <> 'succeeded'`,
        )
      )[0]!.n;
    await expect.poll(unfinished, { timeout: 10_000 }).toBe(0);
    console.info(
      `scale-out: ${expected.size} events, ${receiver.requests.length} requests (${receiver.requests.length - expected.size} duplicates)`,
    );
  }, 180_000);

  it('a key revoked through one API is refused by the other within 1 s', async () => {
    const send = (base: string) => sendText(`${base}/waba`, channel.apiKey);
    expect((await send(apiB.url)).status).toBe(200);
    const keys = (await (
      await call(
        apiA.url,
        channel.partnerToken,
        'GET',
        `/partners/${channel.partnerId}/channels/${channel.channelId}/api_keys`,
      )
    ).json()) as { api_keys: { id: string }[] };
    const revoked = await call(
      apiA.url,
      channel.partnerToken,
      'DELETE',
      `/partners/${channel.partnerId}/channels/${channel.channelId}/api_keys/${keys.api_keys[0]!.id}`,
    );
    expect(revoked.status).toBe(204);
    const at = performance.now();
    while ((await send(apiB.url)).status !== 401) {
      expect(performance.now() - at).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  it('shares a partner read budget across the API processes', async () => {
    const partner = await createPartner('Budget');
    const statuses = async (base: string, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++)
        out.push((await call(base, partner.token, 'GET', `/partners/${partner.id}`)).status);
      return out;
    };
    // Most of the budget through A; once A's counts are written (every 200 ms), B sees them.
    const first = await statuses(apiA.url, READS_PER_MINUTE - 10);
    expect(first.every((s) => s === 200)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    const second = await statuses(apiB.url, 30);
    // B refuses long before 30 of its own: the budget is the partner's, not the process's.
    expect(second.filter((s) => s === 200).length).toBeLessThan(20);
    expect(second.at(-1)).toBe(429);
    const ok = [...first, ...second].filter((s) => s === 200).length;
    expect(ok).toBeLessThanOrEqual(Math.ceil(READS_PER_MINUTE * 1.04) + 1);
  });
});
