import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/clock.ts';
import { query } from '../../server/db/sql.ts';
import { startWorker, type WorkerHandle } from '../../server/jobs/worker.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { recordEvents } from '../../server/modules/webhooks/record-events.ts';
import { partnerFactory, setWebhookUrl } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordPing } from '../support/webhooks.ts';

// Short timeouts keep the test fast; the benchmark (`npm run bench -- fairness`) uses the defaults.
const hub = useTestHub({ WEBHOOK_TIMEOUT_MS: '500', WORKER_CONCURRENCY: '4' });
const BACKLOG = 1_000;
// p99 of 100 samples is their second-worst: one scheduling hiccup of a shared machine is not a verdict.
const SAMPLES = 100;

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!;
}

/**
 * A destination that hangs until the timeout, with a backlog, must not delay another: one job
 * at a time delivers for it (one worker slot at most), and its lanes wait only for its own
 * requests.
 */
describe('fairness between destinations', () => {
  let hanging: WebhookReceiver;
  let healthy: WebhookReceiver;
  let slow: Partner;
  let fast: Partner;
  let worker: WorkerHandle;

  beforeAll(async () => {
    hanging = (await WebhookReceiver.start()).otherwiseRespond({ status: 200, delayMs: 60_000 });
    healthy = await WebhookReceiver.start();
    slow = (await partnerFactory(hub.em(), hub.deps, 'Hanging SaaS')).partner;
    fast = (await partnerFactory(hub.em(), hub.deps, 'Healthy SaaS')).partner;
    await setWebhookUrl(hub.em(), slow, `${hanging.url}/hooks`);
    await setWebhookUrl(hub.em(), fast, `${healthy.url}/hooks`);
    // A real worker pool on real time: `drainJobs` runs one job at a time and would measure nothing.
    worker = await startWorker({ ...hub.deps, clock: systemClock }, { concurrency: 4 });
  });
  afterAll(async () => {
    await worker?.stop();
    await Promise.all([hanging?.close(), healthy?.close()]);
  });

  /** Event → acknowledgement latency of healthy deliveries, one event at a time. */
  async function healthyLatencies(): Promise<number[]> {
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const seen = healthy.requests.length;
      const event = await recordPing(hub.em(), systemClock, fast, `sample ${i}`);
      const [req] = (await healthy.waitForRequests(seen + 1, 10_000)).slice(seen);
      latencies.push(req!.receivedAt - event.createdAt.getTime());
    }
    return latencies;
  }

  it("keeps the healthy destination's p99 within 2× while a hanging one has a backlog of 1,000", async () => {
    await healthyLatencies(); // warm-up: connections, prepared statements, JIT
    const alone = p99(await healthyLatencies());

    await hub.em().transactional((tx) =>
      recordEvents(
        tx,
        systemClock,
        Array.from({ length: BACKLOG }, (_, i) => ({
          partnerId: slow.id,
          type: 'ping' as const,
          data: { message: `backlog ${i}` },
        })),
      ),
    );
    await hanging.waitForRequests(1, 10_000);
    const nextToHanging = p99(await healthyLatencies());

    // 2× the figure alone; below 50 ms, the noise of a shared 2-core machine (other test files
    // run beside this one) decides, not the engine. An unfair engine makes the healthy event
    // wait for the hanging one's 500 ms timeout at least, far above this bound.
    expect(nextToHanging).toBeLessThanOrEqual(2 * Math.max(alone, 50));
    // Nothing of the hanging destination's backlog was lost or given up on meanwhile.
    const [state] = await query<{ pending: number }>(
      hub.em(),
      `select count(*)::int as pending from webhook_deliveries where partner_id = ? and status = 'pending'`,
      [slow.id],
    );
    expect(state).toEqual({ pending: BACKLOG });
    console.info(`fairness: healthy p99 ${alone} ms alone, ${nextToHanging} ms next to a hanging backlog`);
  });
});
