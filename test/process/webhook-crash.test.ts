import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDelivery } from '../../server/modules/webhooks/webhook-delivery.entity.ts';
import { partnerFactory, setWebhookUrl } from '../support/factories.ts';
import { TEST_HUB_SECRET, useTestHub } from '../support/hub.ts';
import { ROOT } from '../support/processes.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordPing } from '../support/webhooks.ts';

const hub = useTestHub();
const EVENTS = 30;
const DEAD_AFTER_SECONDS = 3;

function startWorker(databaseUrl: string): ChildProcess {
  return spawn(process.execPath, ['server/cli/main.ts', 'worker'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      HUB_SECRET: TEST_HUB_SECRET,
      WORKER_DEAD_AFTER_SECONDS: String(DEAD_AFTER_SECONDS),
      LOG_LEVEL: 'warn',
    },
  });
}

/** Waits for a condition that another process brings about; bounded, and polling the database only. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a worker killed mid-batch', () => {
  let receiver: WebhookReceiver;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await receiver.close();
  });

  it("loses nothing: the fence releases the dead worker's job, another resumes it, and duplicates share their webhook-id", async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps);
    await setWebhookUrl(hub.em(), partner, `${receiver.url}/hooks`);
    hub.clock.set(new Date());
    for (let i = 0; i < EVENTS; i++) await recordPing(hub.em(), hub.clock, partner, `n${i}`);

    // The receiver holds every answer, so the first worker dies with its whole batch in flight.
    receiver.otherwiseRespond({ status: 200, delayMs: 2_000 });
    const first = startWorker(hub.databaseUrl);
    workers.push(first);
    await receiver.waitForRequests(1, 20_000);
    first.kill('SIGKILL');
    await once(first, 'exit');
    const killedAt = Date.now();

    receiver.otherwiseRespond({ status: 200 });
    const second = startWorker(hub.databaseUrl);
    workers.push(second);
    await eventually(
      async () =>
        (await hub.em().count(WebhookDelivery, { partner: partner.id, status: 'succeeded' })) === EVENTS,
      30_000,
      'every delivery to succeed',
    );
    const resumedWithinMs = Date.now() - killedAt;
    second.kill('SIGTERM');
    const [code] = await once(second, 'exit');
    expect(code).toBe(0);

    expect(resumedWithinMs).toBeLessThan((3 * DEAD_AFTER_SECONDS + 10) * 1000);
    const byId = new Map<string, Set<string>>();
    for (const r of receiver.requests) {
      const id = String(r.headers['webhook-id']);
      byId.set(id, (byId.get(id) ?? new Set()).add(r.rawBody));
    }
    expect(byId.size).toBe(EVENTS);
    for (const bodies of byId.values()) expect(bodies.size).toBe(1);
    expect(receiver.requests.length).toBeGreaterThan(EVENTS);
    console.info(
      `crash test: ${receiver.requests.length} requests for ${EVENTS} events; resumed in ${resumedWithinMs} ms`,
    );
  });
});
