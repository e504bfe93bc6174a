import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../server/clock.ts';
import { SecretBox } from '../../server/crypto/secret-box.ts';
import { createOrm } from '../../server/db/orm.ts';
import { recordEvents } from '../../server/modules/webhooks/record-events.ts';
import { partnerFactory, setWebhookUrl } from '../support/factories.ts';
import { startPrivatePostgres } from '../support/private-postgres.ts';
import { childEnv, ROOT } from '../support/processes.ts';
import type { BenchFlags } from './main.ts';

const HUB_SECRET = 'chaos-secret-chaos-secret-chaos-secret';
/** Thirty quick attempts: at a 50 % failure rate, an event fails all of them once in 10⁹. */
const RETRY_SCHEDULE = [0, ...Array.from({ length: 29 }, (_, i) => Math.min(1 + Math.floor(i / 3), 5))];
const DEAD_AFTER_SECONDS = 5;

/**
 * `npm run bench -- chaos [--events 2000] [--fail-rate 0.5] [--kills 2] [--seconds 30]`:
 * events are recorded over `seconds` into a PostgreSQL this benchmark owns, while a receiver
 * fails `fail-rate` of requests at random; the worker process is SIGKILLed `kills` times and
 * PostgreSQL restarts once. Then it waits for every event to be acknowledged.
 */
export async function benchChaos(flags: BenchFlags): Promise<void> {
  const events = Number(flags.events ?? 2000);
  const failRate = Number(flags['fail-rate'] ?? 0.5);
  const kills = Number(flags.kills ?? 2);
  const seconds = Number(flags.seconds ?? 30);
  const pg = await startPrivatePostgres();
  const workers: ChildProcess[] = [];
  const receiver = chaosReceiver(failRate);
  const orm = await createOrm(pg.url, { poolMax: 4 });
  try {
    await receiver.listening;
    const box = new SecretBox([HUB_SECRET]);
    const { partner } = await partnerFactory(orm.em.fork(), {
      secretBox: box,
      config: { allowLocalhostUrls: true } as never,
    });
    await setWebhookUrl(orm.em.fork(), partner, `${receiver.url}/hooks`);

    const startWorker = () => {
      const child = spawn(process.execPath, ['server/cli/main.ts', 'worker'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: childEnv({
          DATABASE_URL: pg.url,
          HUB_SECRET,
          WORKER_DEAD_AFTER_SECONDS: String(DEAD_AFTER_SECONDS),
          WEBHOOK_RETRY_SCHEDULE: RETRY_SCHEDULE.join(','),
          LOG_LEVEL: 'error',
        }),
      });
      workers.push(child);
      return child;
    };
    const faults: { at: number; what: string }[] = [];
    const fault = (what: string) => faults.push({ at: performance.now(), what });

    // Faults at fixed points of the recording: kills spread out, the restart in between.
    const plan: { at: number; act: () => Promise<void> }[] = [];
    for (let k = 1; k <= kills; k++) {
      plan.push({
        at: Math.floor((k / (kills + 1)) * events),
        act: async () => {
          const victim = workers.at(-1)!;
          victim.kill('SIGKILL');
          await once(victim, 'exit');
          fault(`SIGKILL worker ${k}`);
          startWorker();
        },
      });
    }
    plan.push({
      at: Math.floor(events * (kills > 0 ? (1 + 0.5) / (kills + 1) : 0.5)),
      act: async () => {
        fault('PostgreSQL restart');
        await pg.restart();
      },
    });
    plan.sort((a, b) => a.at - b.at);

    startWorker();
    const ids: string[] = [];
    const started = performance.now();
    const batch = Math.max(1, Math.ceil(events / (seconds * 10)));
    for (let recorded = 0; recorded < events; ) {
      const n = Math.min(batch, events - recorded);
      while (plan[0] && recorded >= plan[0].at) await plan.shift()!.act();
      try {
        const made = await orm.em.fork().transactional((tx) =>
          recordEvents(
            tx,
            systemClock,
            Array.from({ length: n }, (_, i) => ({
              partnerId: partner.id,
              type: 'ping' as const,
              data: { message: `chaos ${recorded + i}` },
            })),
          ),
        );
        ids.push(...made.map((e) => e.id));
        recorded += n;
      } catch {
        // The database is restarting: nothing of this batch committed; record it again.
      }
      const due = started + (recorded / events) * seconds * 1000;
      const wait = due - performance.now();
      await new Promise((r) => setTimeout(r, Math.max(wait, 5)));
    }
    const worker = workers.at(-1)!;
    const lastFault = Math.max(...faults.map((f) => f.at));

    const deadline = performance.now() + 300_000;
    while (ids.some((id) => !receiver.acked.has(id)) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const drainedAt = performance.now();
    worker.kill('SIGTERM');
    await once(worker, 'exit');

    const lost = ids.filter((id) => !receiver.acked.has(id)).length;
    const duplicates = [...receiver.acked.values()].reduce((n, count) => n + count - 1, 0);
    const figures = {
      bench: 'chaos',
      events_recorded: ids.length,
      delivered: ids.filter((id) => receiver.acked.has(id)).length,
      lost,
      duplicates,
      duplicates_share_webhook_id: [...receiver.idsByMessage.values()].every((set) => set.size === 1),
      requests: receiver.requests,
      failed_on_purpose: receiver.failed,
      faults: faults.map((f) => f.what),
      drained_s_after_last_fault: Number(((drainedAt - lastFault) / 1000).toFixed(1)),
    };
    process.stdout.write(
      [
        `chaos: ${events} events over ${seconds} s, receiver failing ${failRate * 100} % at random, ` +
          `${kills} worker SIGKILLs and a PostgreSQL restart`,
        `  faults          ${figures.faults.join(', ')}`,
        `  delivered       ${figures.delivered} of ${figures.events_recorded} (lost ${lost}), ` +
          `${duplicates} duplicate acknowledgements, all with their event's webhook-id: ${figures.duplicates_share_webhook_id}`,
        `  requests        ${figures.requests} (${figures.failed_on_purpose} answered 500 on purpose)`,
        `  drained         ${figures.drained_s_after_last_fault} s after the last fault (retries of up to ${Math.max(...RETRY_SCHEDULE)} s apart, ` +
          `dead workers released after ${DEAD_AFTER_SECONDS} s)`,
        JSON.stringify(figures),
        '',
      ].join('\n'),
    );
  } finally {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    receiver.close();
    await orm.close(true);
    await pg.destroy();
  }
}

/** Answers 500 to `failRate` of requests at random; counts the 2xx per webhook-id. */
function chaosReceiver(failRate: number) {
  const acked = new Map<string, number>();
  const idsByMessage = new Map<string, Set<string>>();
  const stats = { requests: 0, failed: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stats.requests++;
      const id = String(req.headers['webhook-id']);
      if (Math.random() < failRate) {
        stats.failed++;
        res.writeHead(500).end();
        return;
      }
      const message = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { message: string } })
        .data.message;
      idsByMessage.set(message, (idsByMessage.get(message) ?? new Set()).add(id));
      acked.set(id, (acked.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  return {
    listening: once(server, 'listening'),
    get url() {
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    acked,
    idsByMessage,
    get requests() {
      return stats.requests;
    },
    get failed() {
      return stats.failed;
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
