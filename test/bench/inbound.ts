import { fork } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { parseConfig } from '../../server/config/env.ts';
import { resolveMetaApp } from '../../server/meta/meta-app.ts';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import {
  BENCH_HUB_SECRET,
  onboardBenchChannel,
  percentile,
  startBenchHub,
  startBenchWorker,
} from './hub-processes.ts';
import type { BenchFlags } from './main.ts';
import { receiverControl } from './receiver-control.ts';
import { withScratchDatabase } from './scratch-database.ts';

const MAX_LOAD_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const SENDERS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const PACED_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 5);

/** A Meta `messages` webhook whose text carries its send time, for end-to-end latency. */
export function inboundPayload(wabaId: string, phoneNumberId: string, i: number): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Bench' }, wa_id: '4915112345678' }],
              messages: [
                {
                  from: '4915112345678',
                  id: `wamid.bench${i}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: `t:${Date.now()}` },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

/**
 * `npm run bench -- inbound`: Meta webhooks (signed like Meta) POSTed to a hub process's
 * `/meta/webhook`, verified, committed, routed and delivered by a worker process to a channel
 * webhook in another process that verifies every Standard Webhooks signature. Measured in one
 * run: the acknowledge-only rate (no worker running), the end-to-end relay rate, and latency at
 * half of that maximum.
 */
export async function benchInbound(flags: BenchFlags = {}): Promise<void> {
  const messages = Number(flags.messages ?? MAX_LOAD_MESSAGES);
  const here = path.dirname(fileURLToPath(import.meta.url));
  await withScratchDatabase(async (databaseUrl) => {
    // The production topology: an API process and a worker process against one PostgreSQL.
    const hub = await startBenchHub(databaseUrl, { WORKER_ENABLED: 'false' });
    const workerEnv = { WEBHOOK_CONCURRENCY_PER_ENDPOINT: '64' };
    let worker = startBenchWorker(databaseUrl, hub.url, workerEnv);
    const config = parseConfig({ HUB_SECRET: BENCH_HUB_SECRET, PUBLIC_URL: hub.url });
    const appSecret = resolveMetaApp(config, BENCH_HUB_SECRET).appSecret;
    const channel = await onboardBenchChannel(hub.url, { DATABASE_URL: databaseUrl });
    const receiver = fork(path.join(here, 'webhook-receiver-process.ts'), {
      env: { ...process.env, BENCH_WEBHOOK_SECRET: channel.webhookSecret },
      execArgv: [],
    });
    const [ready] = (await once(receiver, 'message')) as [{ port: number }];
    const { ask, waitForReceived } = receiverControl(receiver);
    await fetch(`${hub.url}/waba/v1/configs/webhook`, {
      method: 'POST',
      headers: { 'D360-API-KEY': channel.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${ready.port}/inbound` }),
    });

    const pool = new Pool(hub.url, { connections: SENDERS });
    let sequence = 0;
    const post = async () => {
      const body = inboundPayload(channel.wabaId, channel.phoneNumberId, sequence++);
      const res = await pool.request({
        path: '/meta/webhook',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(appSecret, body) },
        body,
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`/meta/webhook answered ${res.statusCode}`);
    };
    /** `count` POSTs from SENDERS concurrent senders; resolves with the elapsed ms. */
    const burst = async (count: number) => {
      let left = count;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: SENDERS }, async () => {
          while (left-- > 0) await post();
        }),
      );
      return performance.now() - start;
    };

    try {
      // Warm-up, then reset the receiver's counters.
      await burst(200);
      await waitForReceived(200, 30_000);
      await ask('reset');

      // 1. Acknowledge-only: the worker is stopped, so the API process only verifies and commits.
      await worker.stop();
      const ackedIn = await burst(messages);
      worker = startBenchWorker(databaseUrl, hub.url, workerEnv);
      await waitForReceived(messages, 300_000);
      await ask('reset');

      // 2. End to end: every message acknowledged and delivered to the channel webhook.
      const loadStart = performance.now();
      await burst(messages);
      const load = await waitForReceived(messages, 300_000);
      const relayedPerSecond = load.received / ((performance.now() - loadStart) / 1000);
      await ask('reset');

      // 3. Latency at half of that maximum, paced in 10 ms ticks: Meta's POST → the app's 2xx.
      const pacedRate = Math.max(100, Math.round(relayedPerSecond / 2));
      const tickMs = 10;
      const perTick = Math.max(1, Math.round((pacedRate * tickMs) / 1000));
      const ticks = Math.round((PACED_SECONDS * 1000) / tickMs);
      const paceStart = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let t = 0; t < ticks; t++) {
        for (let k = 0; k < perTick; k++) inFlight.push(post());
        const wait = paceStart + (t + 1) * tickMs - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      await Promise.all(inFlight);
      const paced = await waitForReceived(ticks * perTick, 60_000);

      const ackedPerSecond = messages / (ackedIn / 1000);
      const figures = {
        bench: 'inbound',
        relayed_per_s: Math.round(relayedPerSecond),
        acked_only_per_s: Math.round(ackedPerSecond),
        ratio: Number((relayedPerSecond / ackedPerSecond).toFixed(3)),
        paced_per_s: Math.round((ticks * perTick) / PACED_SECONDS),
        p50_ms_at_half: percentile(paced.latencies, 50),
        p99_ms_at_half: percentile(paced.latencies, 99),
      };
      process.stdout.write(
        [
          `inbound: ${messages} signed Meta webhooks → /meta/webhook → committed → routed → channel webhook (verified)`,
          `  machine        ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
          `  setup          API process, worker process (hub worker), receiver process, ${SENDERS} concurrent senders`,
          `  ack only       ${figures.acked_only_per_s} msg/s acknowledged by /meta/webhook with no worker running`,
          `  end to end     ${figures.relayed_per_s} msg/s relayed, ratio ${figures.ratio} (goal ≥ 0.6)`,
          `  at half max    ${figures.paced_per_s} msg/s for ${PACED_SECONDS} s: p50 ${figures.p50_ms_at_half} ms, p99 ${figures.p99_ms_at_half} ms from Meta's POST to the app's 2xx`,
          `  checks         end to end: ${load.unique} unique of ${load.received}, ${load.invalid} invalid; ` +
            `paced: ${paced.received}/${ticks * perTick} delivered, ${paced.invalid} invalid`,
          JSON.stringify(figures),
          '',
        ].join('\n'),
      );
    } finally {
      await pool.close();
      receiver.send({ type: 'stop' });
      await worker.stop();
      await hub.stop();
    }
  });
}
