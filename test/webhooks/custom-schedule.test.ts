import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDelivery } from '../../server/modules/webhooks/webhook-delivery.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordPing } from '../support/webhooks.ts';

const hub = useTestHub({ WEBHOOK_RETRY_SCHEDULE: '0,30' });

describe('a configured retry schedule', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.close());

  it('is the one the engine follows: two attempts 30 s apart, then failed', async () => {
    receiver.otherwiseRespond({ status: 500 });
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Short Retries', {
      webhookUrl: `${receiver.url}/h`,
    });
    const event = await recordPing(hub.em(), hub.clock, partner, 'x');
    await hub.drainJobs();
    const first = await hub.em().findOneOrFail(WebhookDelivery, { event: event.id });
    expect(first.status).toBe('pending');
    const delay = first.nextAttemptAt!.getTime() - hub.clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(24_000);
    expect(delay).toBeLessThanOrEqual(36_000);
    hub.clock.advance(37_000);
    await hub.drainJobs();
    expect(await hub.em().findOneOrFail(WebhookDelivery, { event: event.id })).toMatchObject({
      status: 'failed',
      attemptCount: 2,
    });
  });
});
