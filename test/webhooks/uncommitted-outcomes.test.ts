import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/clock.ts';
import { query } from '../../server/db/sql.ts';
import { startWorker, type WorkerHandle } from '../../server/jobs/worker.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { recordEvents } from '../../server/modules/webhooks/record-events.ts';
import { partnerFactory, setWebhookUrl } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const hub = useTestHub({ WORKER_CONCURRENCY: '2' });
const BATCHES = 5;
const PER_BATCH = 20;

/**
 * A runner keeps sending what is recorded while its outcomes wait to commit (a slow database),
 * and never sends again a delivery whose outcome is still on its way: such a delivery is still
 * `pending` in the database.
 */
describe('deliveries whose outcomes are not committed yet', () => {
  let receiver: WebhookReceiver;
  let partner: Partner;
  let worker: WorkerHandle;
  let blocker: pg.Client;

  beforeAll(async () => {
    // Slow enough that the later batches are recorded while the first is in flight.
    receiver = (await WebhookReceiver.start()).otherwiseRespond({ status: 204, delayMs: 150 });
    partner = (await partnerFactory(hub.em(), hub.deps)).partner;
    await setWebhookUrl(hub.em(), partner, `${receiver.url}/hooks`);
    worker = await startWorker({ ...hub.deps, clock: systemClock }, { concurrency: 2 });
    blocker = new pg.Client({ connectionString: hub.databaseUrl });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker?.end();
    await worker?.stop();
    await receiver?.close();
  });

  it('are sent once, and what came due meanwhile goes out without waiting for the commit', async () => {
    // Outcomes insert attempt rows: holding this lock keeps every outcome uncommitted.
    await blocker.query('begin');
    await blocker.query('lock table webhook_attempts in share mode');

    for (let b = 0; b < BATCHES; b++) {
      await hub.em().transactional((tx) =>
        recordEvents(
          tx,
          systemClock,
          Array.from({ length: PER_BATCH }, (_, i) => ({
            partnerId: partner.id,
            type: 'ping' as const,
            data: { message: `${b}/${i}` },
          })),
        ),
      );
      await new Promise((r) => setTimeout(r, 20));
    }
    const total = BATCHES * PER_BATCH;
    await receiver.waitForRequests(total, 10_000);
    // Were it to look again at what is pending, the runner would send it all again by now.
    await new Promise((r) => setTimeout(r, 500));
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    const [row] = await query<{ pending: number }>(
      hub.em(),
      `select count(*)::int as pending from webhook_deliveries where status = 'pending'`,
    );
    expect(row?.pending).toBe(total);

    await blocker.query('commit');
    await expect
      .poll(
        async () =>
          (
            await query<{ n: number }>(
              hub.em(),
              `select count(*)::int as n from webhook_deliveries where status = 'succeeded'`,
            )
          )[0]!.n,
        { timeout: 10_000 },
      )
      .toBe(total);
    expect(receiver.requests).toHaveLength(total);
  });
});
