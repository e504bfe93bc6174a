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
import { receiverControl } from './receiver-control.ts';
import { withScratchDatabase } from './scratch-database.ts';

const MAX_LOAD_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const SENDERS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const PACED_RATE = 1000;
const PACED_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 5);

/** A Meta `messages` webhook whose text carries its send time, for end-to-end latency. */
function inboundPayload(wabaId: string, phoneNumberId: string, i: number): string {
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
 * `/meta/webhook`, verified, committed, routed and delivered by its worker to a channel webhook
 * in another process that verifies every Standard Webhooks signature.
 */
export async function benchInbound(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  await withScratchDatabase(async (databaseUrl) => {
    // The production topology: an API process and a worker process against one PostgreSQL.
    const hub = await startBenchHub(databaseUrl, { WORKER_ENABLED: 'false' });
    const worker = startBenchWorker(databaseUrl, hub.url, { WEBHOOK_CONCURRENCY_PER_ENDPOINT: '64' });
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
    const post = async (i: number) => {
      const body = inboundPayload(channel.wabaId, channel.phoneNumberId, i);
      const res = await pool.request({
        path: '/meta/webhook',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(appSecret, body) },
        body,
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`/meta/webhook answered ${res.statusCode}`);
    };

    try {
      // Warm-up, then reset the receiver's counters.
      await Promise.all(Array.from({ length: 200 }, (_, i) => post(i)));
      await waitForReceived(200, 30_000);
      await ask('reset');

      // 1. Max load: SENDERS concurrent senders, until every message reached the channel webhook.
      let next = 0;
      const loadStart = performance.now();
      await Promise.all(
        Array.from({ length: SENDERS }, async () => {
          while (next < MAX_LOAD_MESSAGES) await post(next++);
        }),
      );
      const ackedIn = performance.now() - loadStart;
      const load = await waitForReceived(MAX_LOAD_MESSAGES, 300_000);
      const relayedPerSecond = load.received / ((performance.now() - loadStart) / 1000);
      await ask('reset');

      // 2. Latency at 1,000 msg/s, paced in 10 ms ticks: Meta's POST → the app's 2xx.
      const tickMs = 10;
      const perTick = Math.round((PACED_RATE * tickMs) / 1000);
      const ticks = Math.round((PACED_SECONDS * 1000) / tickMs);
      const paceStart = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let t = 0; t < ticks; t++) {
        for (let k = 0; k < perTick; k++) inFlight.push(post(t * perTick + k));
        const wait = paceStart + (t + 1) * tickMs - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      await Promise.all(inFlight);
      const paced = await waitForReceived(ticks * perTick, 60_000);

      const figures = {
        bench: 'inbound',
        relayed_per_s: Math.round(relayedPerSecond),
        acked_per_s: Math.round(MAX_LOAD_MESSAGES / (ackedIn / 1000)),
        p50_ms_at_1k: percentile(paced.latencies, 50),
        p99_ms_at_1k: percentile(paced.latencies, 99),
      };
      process.stdout.write(
        [
          `inbound: ${MAX_LOAD_MESSAGES} signed Meta webhooks → /meta/webhook → committed → routed → channel webhook (verified)`,
          `  machine        ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
          `  setup          API process, worker process (hub worker), receiver process, ${SENDERS} concurrent senders`,
          `  max load       ${figures.relayed_per_s} msg/s relayed end to end; /meta/webhook acknowledged ${figures.acked_per_s} msg/s`,
          `  at 1,000 msg/s ${PACED_SECONDS} s: p50 ${figures.p50_ms_at_1k} ms, p99 ${figures.p99_ms_at_1k} ms from Meta's POST to the app's 2xx`,
          `  checks         max load: ${load.unique} unique of ${load.received}, ${load.invalid} invalid; ` +
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
