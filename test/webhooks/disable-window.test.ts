import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { recordEvent } from '../../server/modules/webhooks/events.service.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

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
      const em = hub.em();
      await recordEvent(em, hub.clock, {
        partner: await em.findOneOrFail(Partner, partner.id),
        type: 'ping',
        data: { message },
      });
      await em.flush();
      await hub.drainJobs();
    };

    await ping('one');
    const failingSince = (await hub.em().findOneOrFail(Partner, partner.id)).webhookFailingSince;
    expect(failingSince).not.toBeNull();

    receiver.otherwiseRespond({ status: 200 });
    hub.clock.advance(10 * 60_000);
    await ping('recovers');
    expect((await hub.em().findOneOrFail(Partner, partner.id)).webhookFailingSince).toBeNull();

    receiver.otherwiseRespond({ status: 500 });
    await ping('fails again');
    hub.clock.advance(15 * 60_000);
    await ping('still failing');
    const reloaded = await hub.em().findOneOrFail(Partner, partner.id);
    expect(reloaded.webhookDisabledAt).not.toBeNull();
    expect(reloaded.webhookDisabledReason).toMatch(/^failing continuously since /);
    expect(
      await hub.em().count(WebhookEvent, { partner: partner.id, type: 'webhook_endpoint.disabled' }),
    ).toBe(1);
  });
});
