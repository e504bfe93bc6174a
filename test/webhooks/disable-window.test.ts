import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryDestinationOf } from '../../server/modules/webhooks/destinations.service.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordPing } from '../support/webhooks.ts';

// 0.01 days = 14.4 minutes, instead of the default 5 days.
const hub = useTestHub({ WEBHOOK_DISABLE_AFTER_DAYS: '0.01' });

describe('disabling a webhook that keeps failing', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.close());

  it('disables after failing without a success for the configured window, and a success resets the clock', async () => {
    receiver.otherwiseRespond({ status: 500 });
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(token))
      .send({ webhook_url: `${receiver.url}/hooks` });
    const ping = async (message: string) => {
      await recordPing(hub.em(), hub.clock, partner, message);
      await hub.drainJobs();
    };

    await ping('one');
    const failingSince = (await primaryDestinationOf(hub.em(), partner.id)).failingSince;
    expect(failingSince).not.toBeNull();

    receiver.otherwiseRespond({ status: 200 });
    hub.clock.advance(10 * 60_000);
    await ping('recovers');
    expect((await primaryDestinationOf(hub.em(), partner.id)).failingSince).toBeNull();

    receiver.otherwiseRespond({ status: 500 });
    await ping('fails again');
    hub.clock.advance(15 * 60_000);
    await ping('still failing');
    const reloaded = await primaryDestinationOf(hub.em(), partner.id);
    expect(reloaded.disabledAt).not.toBeNull();
    expect(reloaded.disabledReason).toMatch(/^failing continuously since /);
    expect(
      await hub.em().count(WebhookEvent, { partner: partner.id, type: 'webhook_endpoint.disabled' }),
    ).toBe(1);
  });
});
