import { fork } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../server/clock.ts';
import { parseConfig } from '../../server/config/env.ts';
import { migrate } from '../../server/db/migrate.ts';
import { openHub } from '../../server/hub.ts';
import { startWorker } from '../../server/jobs/worker.ts';
import { createLogger } from '../../server/logger.ts';
import { signDelivery } from '../../server/modules/webhooks/delivery/signing.ts';
import { recordEvents } from '../../server/modules/webhooks/record-events.ts';
import { partnerFactory, setWebhookUrl } from '../support/factories.ts';
import type { BenchFlags } from './main.ts';
import { type ReceiverStats, receiverControl } from './receiver-control.ts';
import { withScratchDatabase } from './scratch-database.ts';

const MAX_LOAD_EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 5);
const RAW_POSTS = 20_000;
const RECORD_BATCH = 250;
/** Concurrent producer transactions (`BENCH_PRODUCERS`): one by default, as the recorded figures. */
const PRODUCERS = Number(process.env.BENCH_PRODUCERS ?? 1);
const IDLE_EVENTS = 50;

const cpuMicros = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * `npm run bench -- webhooks`: events through the real path (recorded in transactions,
 * delivered by one graphile-worker job per destination, signed, POSTed, acknowledged) against a receiver process
 * that verifies every signature; compared in the same run with the raw signed-POST rate of the
 * same HTTP client to the same receiver.
 */
export async function benchWebhooks(_flags: BenchFlags = {}): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  await withScratchDatabase(async (databaseUrl) => {
    const config = parseConfig({
      DATABASE_URL: databaseUrl,
      HUB_SECRET: 'bench-secret-bench-secret-bench-secret',
      ALLOW_LOCALHOST_URLS: 'true',
      WEBHOOK_CONCURRENCY_PER_ENDPOINT: process.env.WEBHOOK_CONCURRENCY_PER_ENDPOINT ?? '64',
      WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '10',
    });
    const hub = await openHub(config, createLogger('warn'), { poolMax: 20 });
    await migrate(hub.orm, databaseUrl);
    const { partner, webhookSecret } = await partnerFactory(hub.orm.em.fork(), hub);

    const receiver = fork(path.join(here, 'webhook-receiver-process.ts'), {
      env: { ...process.env, BENCH_WEBHOOK_SECRET: webhookSecret },
      execArgv: [],
    });
    const { ask, waitForReceived } = receiverControl(receiver);
    const [ready] = (await once(receiver, 'message')) as [{ port: number }];
    const url = `http://127.0.0.1:${ready.port}/hooks`;
    await setWebhookUrl(hub.orm.em.fork(), partner, url);

    // 1. The raw rate: the same undici client, signing and POSTing directly, same concurrency.
    const concurrency = config.webhooks.concurrencyPerEndpoint;
    const body = JSON.stringify({
      type: 'ping',
      timestamp: new Date().toISOString(),
      data: { message: 'raw' },
    });
    let next = 0;
    const rawCpu = process.cpuUsage();
    const rawStart = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < RAW_POSTS) {
          const i = next++;
          const headers = signDelivery({
            eventId: `evt_raw${i}`,
            eventType: 'ping',
            attemptId: `att_${i}`,
            timestamp: new Date(),
            body,
            secrets: [webhookSecret],
          });
          await hub.engine.sender.send(url, headers, body);
        }
      }),
    );
    const rawPerSecond = RAW_POSTS / ((performance.now() - rawStart) / 1000);
    const rawCpuUs = cpuMicros(process.cpuUsage(rawCpu)) / RAW_POSTS;
    await ask('reset');

    const worker = await startWorker(hub);
    const record = async (count: number, latency = false) => {
      const data = { message: latency ? 'latency' : 'load' };
      await hub.orm.em.fork().transactional((tx) =>
        recordEvents(
          tx,
          systemClock,
          Array.from({ length: count }, () => ({ partnerId: partner.id, type: 'ping' as const, data })),
        ),
      );
    };

    // 2. Max load: record MAX_LOAD_EVENTS as fast as transactions allow; time until all are acknowledged.
    const loadCpu = process.cpuUsage();
    const loadStart = performance.now();
    let batches = Math.ceil(MAX_LOAD_EVENTS / RECORD_BATCH);
    await Promise.all(
      Array.from({ length: PRODUCERS }, async () => {
        while (batches-- > 0) await record(RECORD_BATCH);
      }),
    );
    const recordedIn = performance.now() - loadStart;
    const loadStats = await waitForReceived(MAX_LOAD_EVENTS, 300_000);
    const deliveriesPerSecond = loadStats.received / ((performance.now() - loadStart) / 1000);
    const loadCpuUs = cpuMicros(process.cpuUsage(loadCpu)) / loadStats.received;
    await ask('reset');

    // 3. Latency at half the measured maximum, paced in 10 ms ticks.
    const rate = deliveriesPerSecond / 2;
    const tickMs = 10;
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
    const ticks = Math.round((LATENCY_SECONDS * 1000) / tickMs);
    const paceStart = performance.now();
    for (let t = 0; t < ticks; t++) {
      await record(perTick, true);
      const due = paceStart + (t + 1) * tickMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const latencyStats = await waitForReceived(ticks * perTick, 60_000);

    // 4. Idle: one event at a time, each waited for: every one starts a job (LISTEN/NOTIFY wakes the worker).
    await ask('reset');
    for (let i = 0; i < IDLE_EVENTS; i++) {
      await record(1, true);
      await waitForReceived(i + 1, 10_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    const idleStats = await ask<ReceiverStats>('stats');
    await worker.stop();
    receiver.send({ type: 'stop' });
    await hub.close();

    const figures = {
      bench: 'webhooks',
      deliveries_per_s: Math.round(deliveriesPerSecond),
      raw_posts_per_s: Math.round(rawPerSecond),
      ratio: Number((deliveriesPerSecond / rawPerSecond).toFixed(3)),
      cpu_us_per_delivery: Math.round(loadCpuUs),
      cpu_us_per_raw_post: Math.round(rawCpuUs),
      p50_ms: percentile(latencyStats.latencies, 50),
      p99_ms: percentile(latencyStats.latencies, 99),
      idle_p50_ms: percentile(idleStats.latencies, 50),
    };
    process.stdout.write(
      [
        `webhooks: ${MAX_LOAD_EVENTS} events recorded (with their jobs) → signed → delivered → verified (standardwebhooks)`,
        `  machine         ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
        `  settings        ${concurrency} concurrent per endpoint, ${config.worker.concurrency} worker jobs, ${RECORD_BATCH} events per transaction`,
        `  raw POST rate   ${figures.raw_posts_per_s}/s (same client, same receiver, signed, no database)`,
        `  max load        ${figures.deliveries_per_s} deliveries/s (recording took ${Math.round(recordedIn)} ms of it), ratio ${figures.ratio}`,
        `  bench CPU       ${figures.cpu_us_per_delivery} µs per delivery (producer and worker), ${figures.cpu_us_per_raw_post} µs per raw POST`,
        `  at half max     ${Math.round(rate)} events/s for ${LATENCY_SECONDS} s: p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms event→ack`,
        `  idle            ${IDLE_EVENTS} single events: p50 ${figures.idle_p50_ms} ms, p99 ${percentile(idleStats.latencies, 99)} ms event→ack`,
        `  checks          max load: ${loadStats.unique} unique of ${loadStats.received}, ${loadStats.invalid} invalid signatures; ` +
          `half max: ${latencyStats.received}/${ticks * perTick} delivered, ${latencyStats.invalid} invalid`,
        JSON.stringify(figures),
        '',
      ].join('\n'),
    );
  });
}
