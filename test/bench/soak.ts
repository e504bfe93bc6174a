import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import autocannon from 'autocannon';
import { parseConfig } from '../../server/config/env.ts';
import { resolveMetaApp } from '../../server/meta/meta-app.ts';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import { textMessage } from '../support/waba.ts';
import { BENCH_HUB_SECRET, freePort, onboardBenchChannel, startBenchHub } from './hub-processes.ts';
import { inboundPayload } from './inbound.ts';
import type { BenchFlags } from './main.ts';
import { withScratchDatabase } from './scratch-database.ts';

const CONNECTIONS = 16;

/** A local receiver answering after `delayMs`; counts what it got. */
async function receiver(delayMs: number) {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      setTimeout(() => res.writeHead(200).end('ok'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The hub's resident set and used heap, read from its /metrics. */
async function memoryOf(metricsUrl: string): Promise<{ rssMb: number; heapMb: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    rssMb: value('process_resident_memory_bytes') / 2 ** 20,
    heapMb: value('nodejs_heap_size_used_bytes') / 2 ** 20,
  };
}

/** Least-squares slope of `y` over `x`. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return num / den;
}

/**
 * `npm run bench -- soak [--minutes 10] [--warmup 2]`: mixed traffic at 80 % of the measured
 * maximum against one hub process (API and worker): partner reads and writes, `/waba` sends,
 * inbound Meta webhooks relayed to a channel webhook that answers slowly (300 ms), lifecycle
 * events to the partner's webhook. Per minute: requests, errors by status, p50 and p99, the
 * hub's RSS and heap; then their slope after the warm-up.
 */
export async function benchSoak(flags: BenchFlags = {}): Promise<void> {
  const minutes = Number(flags.minutes ?? 10);
  const warmup = Number(flags.warmup ?? 2);
  await withScratchDatabase(async (databaseUrl) => {
    const metricsPort = await freePort();
    const unlimited = '1000000';
    const hub = await startBenchHub(databaseUrl, {
      METRICS_PORT: String(metricsPort),
      RATE_LIMIT_READ_PER_MINUTE: unlimited,
      RATE_LIMIT_WRITE_PER_MINUTE: unlimited,
    });
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const fast = await receiver(0);
    const slow = await receiver(300);
    try {
      const channel = await onboardBenchChannel(hub.url, { DATABASE_URL: databaseUrl });
      const partnerAuth = {
        authorization: `Bearer ${channel.partnerToken}`,
        'content-type': 'application/json',
      };
      const api = `/api/v2/partners/${channel.partnerId}`;
      await fetch(`${hub.url}${api}`, {
        method: 'PATCH',
        headers: partnerAuth,
        body: JSON.stringify({ webhook_url: `${fast.url}/partner` }),
      });
      await fetch(`${hub.url}/waba/v1/configs/webhook`, {
        method: 'POST',
        headers: { 'D360-API-KEY': channel.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${slow.url}/channel` }),
      });
      const appSecret = resolveMetaApp(
        parseConfig({ HUB_SECRET: BENCH_HUB_SECRET, PUBLIC_URL: hub.url }),
        BENCH_HUB_SECRET,
      ).appSecret;
      let sequence = 0;
      const requests: autocannon.Request[] = [
        { method: 'GET', path: api, headers: partnerAuth },
        { method: 'GET', path: `${api}/channels?limit=20`, headers: partnerAuth },
        {
          method: 'POST',
          path: '/waba/messages',
          headers: { 'D360-API-KEY': channel.apiKey, 'content-type': 'application/json' },
          body: textMessage('soak'),
        },
        {
          method: 'POST',
          path: '/meta/webhook',
          setupRequest: (req) => {
            const body = inboundPayload(channel.wabaId, channel.phoneNumberId, sequence++);
            return {
              ...req,
              headers: {
                'content-type': 'application/json',
                'x-hub-signature-256': signMetaBody(appSecret, body),
              },
              body,
            };
          },
        },
        { method: 'POST', path: `${api}/webhook_endpoints/primary/test`, headers: partnerAuth, body: '{}' },
      ];
      const run = (durationS: number, overallRate?: number) =>
        autocannon({ url: hub.url, connections: CONNECTIONS, duration: durationS, requests, overallRate });

      const max = await run(10);
      const rate = Math.round(max.requests.average * 0.8);
      process.stdout.write(
        [
          `soak: mixed traffic (partner GET, channel list, /waba send, inbound Meta webhook → slow channel webhook, lifecycle ping) for ${minutes} min`,
          `  machine   ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
          `  maximum   ${Math.round(max.requests.average)} requests/s; running at 80 %: ${rate}/s`,
          '  minute  requests   errors            p50 ms  p99 ms   RSS MB  heap MB',
          '',
        ].join('\n'),
      );
      const perMinute: {
        minute: number;
        requests: number;
        errors: Record<string, number>;
        p50: number;
        p99: number;
        rssMb: number;
        heapMb: number;
      }[] = [];
      const memory: [number, number, number][] = [];
      const started = Date.now();
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const m = await memoryOf(metricsUrl).catch(() => undefined);
          if (m) memory.push([(Date.now() - started) / 60_000, m.rssMb, m.heapMb]);
          await new Promise((r) => setTimeout(r, 5000));
        }
      })();
      for (let minute = 1; minute <= minutes; minute++) {
        const result = await run(60, rate);
        const errors: Record<string, number> = {};
        for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {}))
          if (!status.startsWith('2')) errors[status] = count ?? 0;
        if (result.errors) errors.connection = result.errors;
        if (result.timeouts) errors.timeout = result.timeouts;
        const m = await memoryOf(metricsUrl);
        const row = {
          minute,
          requests: result.requests.total,
          errors,
          p50: result.latency.p50,
          p99: result.latency.p99,
          rssMb: Math.round(m.rssMb),
          heapMb: Math.round(m.heapMb),
        };
        perMinute.push(row);
        process.stdout.write(
          `  ${String(minute).padStart(6)}  ${String(row.requests).padStart(8)}   ${JSON.stringify(errors).padEnd(16)}  ${String(row.p50).padStart(6)}  ${String(row.p99).padStart(6)}   ${String(row.rssMb).padStart(6)}  ${String(row.heapMb).padStart(7)}\n`,
        );
      }
      sampling = false;
      await sampler;
      const steady = memory.filter(([t]) => t >= warmup);
      const figures = {
        bench: 'soak',
        minutes,
        rate_per_s: rate,
        errors: perMinute.reduce((n, r) => n + Object.values(r.errors).reduce((a, b) => a + b, 0), 0),
        p99_ms_by_minute: perMinute.map((r) => r.p99),
        rss_mb_per_min_after_warmup: Number(slope(steady.map(([t, rss]) => [t, rss])).toFixed(2)),
        heap_mb_per_min_after_warmup: Number(slope(steady.map(([t, , heap]) => [t, heap])).toFixed(2)),
        rss_mb_first_last: [
          Math.round(steady[0]?.[1] ?? Number.NaN),
          Math.round(steady.at(-1)?.[1] ?? Number.NaN),
        ],
        partner_webhooks_received: fast.received(),
        channel_webhooks_received: slow.received(),
      };
      process.stdout.write(
        `  after ${warmup} min warm-up: RSS ${figures.rss_mb_per_min_after_warmup} MB/min, heap ${figures.heap_mb_per_min_after_warmup} MB/min\n${JSON.stringify(figures)}\n`,
      );
    } finally {
      await hub.stop();
      await Promise.all([fast.close(), slow.close()]);
    }
  });
}
