import { fork } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../server/clock.ts';
import { parseConfig } from '../../server/config/env.ts';
import { migrate } from '../../server/db/migrate.ts';
import { openHub } from '../../server/hub.ts';
import { startWorker } from '../../server/jobs/worker.ts';
import { createLogger } from '../../server/logger.ts';
import { recordEvents } from '../../server/modules/webhooks/record-events.ts';
import { partnerFactory, setWebhookUrl } from '../support/factories.ts';
import { percentile } from './hub-processes.ts';
import type { BenchFlags } from './main.ts';
import { receiverControl } from './receiver-control.ts';
import { withScratchDatabase } from './scratch-database.ts';

/**
 * `npm run bench -- fairness [--backlog 1000] [--rate 200] [--seconds 5]`: a healthy
 * destination's event→ack p99 alone, then next to a destination that hangs until the
 * (default, 15 s) timeout with a backlog; goal: ≤ 2× the figure alone.
 */
export async function benchFairness(flags: BenchFlags): Promise<void> {
  const backlog = Number(flags.backlog ?? 1000);
  const rate = Number(flags.rate ?? 200);
  const seconds = Number(flags.seconds ?? 5);
  const here = path.dirname(fileURLToPath(import.meta.url));
  await withScratchDatabase(async (databaseUrl) => {
    const config = parseConfig({
      DATABASE_URL: databaseUrl,
      HUB_SECRET: 'bench-secret-bench-secret-bench-secret',
      ALLOW_LOCALHOST_URLS: 'true',
    });
    const hub = await openHub(config, createLogger('warn'), { poolMax: 20 });
    await migrate(hub.orm, databaseUrl);
    const healthy = await partnerFactory(hub.orm.em.fork(), hub, 'Healthy SaaS');
    const stuck = await partnerFactory(hub.orm.em.fork(), hub, 'Hanging SaaS');

    const receiver = fork(path.join(here, 'webhook-receiver-process.ts'), {
      env: { ...process.env, BENCH_WEBHOOK_SECRET: healthy.webhookSecret },
      execArgv: [],
    });
    const { ask, waitForReceived } = receiverControl(receiver);
    const [ready] = (await once(receiver, 'message')) as [{ port: number }];
    // Reads the request and never answers: each attempt waits for the full timeout.
    let hung = 0;
    const hanging = http.createServer((req) => {
      hung++;
      req.resume();
    });
    hanging.listen(0, '127.0.0.1');
    await once(hanging, 'listening');
    await setWebhookUrl(hub.orm.em.fork(), healthy.partner, `http://127.0.0.1:${ready.port}/hooks`);
    await setWebhookUrl(
      hub.orm.em.fork(),
      stuck.partner,
      `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hooks`,
    );
    const worker = await startWorker(hub);

    const record = (partnerId: string, count: number, message: string) =>
      hub.orm.em.fork().transactional((tx) =>
        recordEvents(
          tx,
          systemClock,
          Array.from({ length: count }, () => ({ partnerId, type: 'ping' as const, data: { message } })),
        ),
      );
    /** Healthy events at `rate`/s for `seconds`, paced in 10 ms ticks; their event→ack latencies. */
    const measure = async (): Promise<number[]> => {
      await ask('reset');
      const perTick = Math.max(1, Math.round(rate / 100));
      const ticks = seconds * 100;
      const start = performance.now();
      for (let t = 0; t < ticks; t++) {
        await record(healthy.partner.id, perTick, 'latency');
        const wait = start + (t + 1) * 10 - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      return (await waitForReceived(ticks * perTick, 60_000)).latencies;
    };

    await measure(); // warm-up: connections, JIT, statement caches
    const alone = await measure();
    await record(stuck.partner.id, backlog, 'backlog');
    const nextToHanging = await measure();
    const hangingRequests = hung;

    await worker.stop();
    receiver.send({ type: 'stop' });
    hanging.closeAllConnections();
    hanging.close();
    await hub.close();

    const figures = {
      bench: 'fairness',
      backlog,
      timeout_ms: config.webhooks.timeoutMs,
      healthy_p50_alone_ms: percentile(alone, 50),
      healthy_p99_alone_ms: percentile(alone, 99),
      healthy_p50_next_to_hanging_ms: percentile(nextToHanging, 50),
      healthy_p99_next_to_hanging_ms: percentile(nextToHanging, 99),
      ratio: Number((percentile(nextToHanging, 99) / percentile(alone, 99)).toFixed(2)),
      hanging_requests: hangingRequests,
    };
    process.stdout.write(
      [
        `fairness: a healthy destination next to one that hangs until the ${config.webhooks.timeoutMs} ms timeout, backlog ${backlog}`,
        `  machine         ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
        `  healthy load    ${rate} events/s for ${seconds} s, worker concurrency ${config.worker.concurrency}`,
        `  alone           p50 ${figures.healthy_p50_alone_ms} ms, p99 ${figures.healthy_p99_alone_ms} ms event→ack`,
        `  next to hanging p50 ${figures.healthy_p50_next_to_hanging_ms} ms, p99 ${figures.healthy_p99_next_to_hanging_ms} ms event→ack (ratio ${figures.ratio}, goal ≤ 2)`,
        `  hanging         ${hangingRequests} requests reached it (its circuit holds the rest of the backlog)`,
        JSON.stringify(figures),
        '',
      ].join('\n'),
    );
  });
}
