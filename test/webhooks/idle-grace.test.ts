import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/clock.ts';
import { query } from '../../server/db/sql.ts';
import { startWorker, type WorkerHandle } from '../../server/jobs/worker.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { partnerFactory, setWebhookUrl } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { jobsOf, recordPing } from '../support/webhooks.ts';

const hub = useTestHub({ WORKER_CONCURRENCY: '4' });

/**
 * A runner that ran dry keeps its role for the idle grace: an event recorded meanwhile gets no
 * job of its own and is sent by that runner; after the grace the role is given up and the next
 * event gets a job again. A worker stopping ends the grace.
 */
describe('the idle grace of a delivery runner', () => {
  let receiver: WebhookReceiver;
  let partner: Partner;
  let destinationId: string;
  let worker: WorkerHandle | undefined;

  const runnerOf = async () => {
    const [row] = await query<{ runner: string | null }>(
      hub.em(),
      `select runner_job_id as runner from webhook_destinations where id = ?`,
      [destinationId],
    );
    return row?.runner ?? null;
  };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    partner = (await partnerFactory(hub.em(), hub.deps, 'Grace SaaS')).partner;
    await setWebhookUrl(hub.em(), partner, `${receiver.url}/hooks`);
    const [row] = await query<{ id: string }>(
      hub.em(),
      `select id from webhook_destinations where partner_id = ? and kind = 'partner_webhook'`,
      [partner.id],
    );
    destinationId = row!.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
  });

  it('sends an event recorded during the grace without a job, gives the role up after it and on stop', async () => {
    worker = await startWorker({ ...hub.deps, clock: systemClock }, { concurrency: 4 });
    const grace = hub.deps.engine.idleGrace.ms;

    await recordPing(hub.em(), systemClock, partner, 'first');
    await receiver.waitForRequests(1, 10_000);
    const runner = await runnerOf();
    expect(runner).not.toBeNull();

    // Within the grace: no job is added, the same runner sends it.
    const second = await recordPing(hub.em(), systemClock, partner, 'second');
    expect((await jobsOf(hub.em(), destinationId)).filter((j) => j.lockedBy === null)).toEqual([]);
    const [req] = (await receiver.waitForRequests(2, 10_000)).slice(1);
    expect(req!.headers['webhook-id']).toBe(second.id);
    expect(await runnerOf()).toBe(runner);

    // After the grace the role is free and the job is done.
    const deadline = Date.now() + grace + 5_000;
    const busy = async () =>
      (await runnerOf()) !== null || (await jobsOf(hub.em(), destinationId)).length > 0;
    while ((await busy()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await runnerOf()).toBeNull();
    expect(await jobsOf(hub.em(), destinationId)).toEqual([]);

    // A new event starts a job again; stopping during its grace gives the role up.
    await recordPing(hub.em(), systemClock, partner, 'third');
    await receiver.waitForRequests(3, 10_000);
    await worker.stop();
    worker = undefined;
    expect(await runnerOf()).toBeNull();
    expect(receiver.requests).toHaveLength(3);
  });
});
