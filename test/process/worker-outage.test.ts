import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/clock.ts';
import { createOrm } from '../../server/db/orm.ts';
import { query } from '../../server/db/sql.ts';
import { recordEvents } from '../../server/modules/webhooks/record-events.ts';
import { TEST_HUB_SECRET } from '../support/hub.ts';
import { usePrivatePostgres } from '../support/private-postgres.ts';
import { type HubProcess, runCli, startHub } from '../support/processes.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

/**
 * The whole hub (HTTP and worker in one process, as `npm start` runs) on a PostgreSQL this
 * file owns: a restart under load, then half a minute without a database. The process must
 * live through both, reconnect by itself, and deliver every event.
 */
describe('the worker through a PostgreSQL restart and a 30 s outage', () => {
  const pg = usePrivatePostgres();
  let receiver: WebhookReceiver;
  let hub: HubProcess;
  let orm: Awaited<ReturnType<typeof createOrm>>;
  let partnerId: string;
  const env = () => ({
    DATABASE_URL: pg.url,
    HUB_SECRET: TEST_HUB_SECRET,
    WORKER_DEAD_AFTER_SECONDS: '5',
    LOG_LEVEL: 'warn',
  });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // Slow enough that deliveries are in flight when the database goes.
    receiver.otherwiseRespond({ status: 200, delayMs: 50 });
    hub = await startHub(env());
    const created = await runCli(
      ['partners', 'create', '--name', 'Outage SaaS', '--webhook-url', `${receiver.url}/hooks`, '--json'],
      env(),
    );
    partnerId = (JSON.parse(created.stdout) as { id: string }).id;
    orm = await createOrm(pg.url, { poolMax: 2 });
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    await orm?.close(true);
    await receiver?.close();
  });

  /** Records `n` pings the way a service does, retrying while the database comes back. */
  async function record(n: number, tag: string): Promise<string[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const events = await orm.em.fork().transactional((tx) =>
          recordEvents(
            tx,
            systemClock,
            Array.from({ length: n }, (_, i) => ({
              partnerId,
              type: 'ping' as const,
              data: { message: `${tag} ${i}` },
            })),
          ),
        );
        return events.map((e) => e.id);
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  const delivered = () => new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));

  async function allDelivered(ids: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (ids.some((id) => !delivered().has(id))) {
      if (Date.now() > deadline) {
        const missing = ids.filter((id) => !delivered().has(id)).length;
        const em = orm.em.fork();
        const state = {
          destinations: await query(
            em,
            'select id, runner_job_id, circuit_open_until, consecutive_failures from webhook_destinations',
          ),
          jobs: await query(
            em,
            'select id, key, run_at, attempts, locked_by, locked_at, last_error from graphile_worker.jobs',
          ),
          pending: await query(
            em,
            "select count(*), min(next_attempt_at) from webhook_deliveries where status = 'pending'",
          ),
          heartbeats: await query(em, 'select * from worker_heartbeats'),
          now: await query(em, 'select now()'),
        };
        throw new Error(
          `${missing} of ${ids.length} events undelivered:\n${JSON.stringify(state, null, 1)}\n${hub.output().slice(-20000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('lives through both, reconnects by itself and delivers every event exactly by its webhook-id', async () => {
    const pid = hub.child.pid;
    const ids = await record(200, 'before restart');
    await receiver.waitForRequests(1, 10_000);
    await pg.restart();
    ids.push(...(await record(50, 'after restart')));
    await allDelivered(ids, 60_000);

    await pg.stop();
    const down = await fetch(`${hub.url}/readyz`);
    expect(down.status).toBe(503);
    await new Promise((r) => setTimeout(r, 30_000));
    expect(hub.child.exitCode).toBeNull();
    await pg.start();
    ids.push(...(await record(50, 'after the outage')));
    await allDelivered(ids, 60_000);

    expect(hub.child.exitCode).toBeNull();
    expect(hub.child.pid).toBe(pid);
    expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
    // Nothing lost; a duplicate (an attempt in flight when the database went) keeps its webhook-id.
    expect(ids.filter((id) => !delivered().has(id))).toEqual([]);
    const bodies = new Map<string, Set<string>>();
    for (const r of receiver.requests) {
      const id = String(r.headers['webhook-id']);
      bodies.set(id, (bodies.get(id) ?? new Set()).add(r.rawBody));
    }
    for (const set of bodies.values()) expect(set.size).toBe(1);
    console.info(
      `worker outage: ${ids.length} events, ${receiver.requests.length} requests, ${bodies.size} distinct webhook-ids`,
    );
  }, 180_000);
});
