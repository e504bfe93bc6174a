import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { partnerSecretContext } from '../../server/modules/webhooks/destination-secrets.ts';
import { recordEvent } from '../../server/modules/webhooks/events.service.ts';
import { WebhookAttempt } from '../../server/modules/webhooks/webhook-attempt.entity.ts';
import { WebhookDelivery } from '../../server/modules/webhooks/webhook-delivery.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const hub = useTestHub();

describe('webhook delivery', () => {
  let receiver: WebhookReceiver;
  let partner: Partner;
  let token: string;
  let secret: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.close());

  beforeEach(async () => {
    // Tests move the clock; receivers verify against real time. Earlier tests' leftovers must not fire later.
    hub.clock.set(new Date());
    await hub
      .em()
      .getConnection()
      .execute("update webhook_deliveries set status = 'failed' where status = 'pending'");
    receiver.requests.length = 0;
    receiver.otherwiseRespond({ status: 200, body: 'ok' });
    const created = await partnerFactory(hub.em(), hub.deps);
    ({ partner, token } = created);
    secret = created.webhookSecret;
    await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(token))
      .send({ webhook_url: `${receiver.url}/hooks` });
    // That PATCH itself recorded partner.updated, which this partner's old URL would have got; start clean.
    await hub.drainJobs();
    receiver.requests.length = 0;
  });

  const ping = async (message = 'hello') => {
    const em = hub.em();
    const event = await recordEvent(em, hub.clock, {
      partner: await em.findOneOrFail(Partner, partner.id),
      type: 'ping',
      data: { message },
    });
    await em.flush();
    return event;
  };
  const deliveryOf = async (eventId: string) => hub.em().findOneOrFail(WebhookDelivery, { event: eventId });
  const attemptsOf = async (deliveryId: string) =>
    hub.em().find(WebhookAttempt, { delivery: deliveryId }, { orderBy: { id: 'asc' } });

  it('delivers a signed {type, timestamp, data} body that the standardwebhooks library verifies', async () => {
    const event = await ping();
    await hub.drainJobs();
    const [req] = await receiver.waitForRequests(1);
    const body = new Webhook(secret).verify(req!.rawBody, req!.headers as Record<string, string>);
    expect(body).toEqual({
      type: 'ping',
      timestamp: event.createdAt.toISOString(),
      data: { message: 'hello' },
    });
    expect(req!.headers['webhook-id']).toBe(event.id);
    expect(req!.headers['x-hub-event']).toBe('ping');
    const delivery = await deliveryOf(event.id);
    const attempts = await attemptsOf(delivery.id);
    expect(attempts.map((a) => [a.id, a.trigger, a.responseStatus, a.responseBody])).toEqual([
      [req!.headers['x-hub-delivery'], 'scheduled', 200, 'ok'],
    ]);
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 1, leaseToken: null });
  });

  it('retries on the schedule: 500 three times then 200 ends succeeded with 4 attempts, one webhook-id', async () => {
    receiver.respondWith({ status: 500 }, { status: 500 }, { status: 500 });
    const event = await ping();
    const waits = [6_100, 6 * 60_000, 36 * 60_000]; // each step's delay plus the 20 % jitter
    await hub.drainJobs();
    for (const wait of waits) {
      const d = await deliveryOf(event.id);
      expect(d.status).toBe('pending');
      hub.clock.advance(wait);
      await hub.drainJobs();
    }
    const delivery = await deliveryOf(event.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 4 });
    expect((await attemptsOf(delivery.id)).map((a) => a.responseStatus)).toEqual([500, 500, 500, 200]);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([event.id]));
    expect(new Set(receiver.requests.map((r) => r.headers['x-hub-delivery'])).size).toBe(4);
  });

  it('honours Retry-After with a 60 s floor', async () => {
    receiver.respondWith({ status: 429, headers: { 'retry-after': '120' } });
    const event = await ping();
    await hub.drainJobs();
    const delivery = await deliveryOf(event.id);
    expect(delivery.status).toBe('pending');
    expect(delivery.nextAttemptAt!.getTime() - hub.clock.now().getTime()).toBe(120_000);
    hub.clock.advance(119_000);
    await hub.drainJobs();
    expect(receiver.requests).toHaveLength(1);
    hub.clock.advance(1_000);
    await hub.drainJobs();
    expect((await deliveryOf(event.id)).status).toBe('succeeded');
  });

  it('fails a delivery whose schedule is used up', async () => {
    receiver.otherwiseRespond({ status: 500 });
    const event = await ping();
    for (let i = 0; i < 8; i++) {
      await hub.drainJobs();
      hub.clock.advance(13 * 3600_000);
    }
    const delivery = await deliveryOf(event.id);
    expect(delivery).toMatchObject({ status: 'failed', attemptCount: 8, nextAttemptAt: null });
    expect(receiver.requests).toHaveLength(8);
  });

  it('disables the webhook on 410 Gone, records webhook_endpoint.disabled, and sends it nothing more', async () => {
    receiver.respondWith({ status: 410 });
    const event = await ping();
    await hub.drainJobs();
    expect((await deliveryOf(event.id)).status).toBe('failed');
    const reloaded = await hub.em().findOneOrFail(Partner, partner.id);
    expect(reloaded.webhookDisabledAt).not.toBeNull();
    expect(reloaded.webhookDisabledReason).toBe('the endpoint answered 410 Gone');
    const disabled = await hub
      .em()
      .find(WebhookEvent, { partner: partner.id, type: 'webhook_endpoint.disabled' });
    expect(disabled.map((e) => e.data)).toEqual([
      { endpoint_id: 'primary', url: `${receiver.url}/hooks`, reason: 'the endpoint answered 410 Gone' },
    ]);

    const later = await ping('after');
    await hub.drainJobs();
    expect((await deliveryOf(later.id)).status).toBe('failed');
    expect(receiver.requests).toHaveLength(1);
  });

  it('signs with both secrets during a rotation overlap', async () => {
    const em = hub.em();
    const p = await em.findOneOrFail(Partner, partner.id);
    const previous = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
    p.previousWebhookSecretSealed = hub.deps.secretBox.encrypt(
      previous,
      partnerSecretContext(p.id, 'previous'),
    );
    p.previousWebhookSecretExpiresAt = new Date(hub.clock.now().getTime() + 3600_000);
    await em.flush();
    await ping();
    await hub.drainJobs();
    const [req] = await receiver.waitForRequests(1);
    expect(req!.headers['webhook-signature']!.toString().split(' ')).toHaveLength(2);
    for (const s of [secret, previous])
      expect(() => new Webhook(s).verify(req!.rawBody, req!.headers as Record<string, string>)).not.toThrow();
  });

  it('delivers nothing for an event whose transaction rolled back', async () => {
    await expect(
      hub.em().transactional(async (em) => {
        await recordEvent(em, hub.clock, {
          partner: await em.findOneOrFail(Partner, partner.id),
          type: 'ping',
          data: { message: 'never' },
        });
        await em.flush();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await hub.drainJobs();
    expect(receiver.requests).toHaveLength(0);
    expect(await hub.em().count(WebhookEvent, { partner: partner.id, type: 'ping' })).toBe(0);
  });

  it('delivers API events end to end: a key created over REST reaches the webhook', async () => {
    const { channelFactory, clientFactory, permissionFactory } = await import('../support/factories.ts');
    const em = hub.em();
    const p = await em.findOneOrFail(Partner, partner.id);
    const channel = await channelFactory(em, await clientFactory(em, p));
    await permissionFactory(em, p, channel);
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    await hub.drainJobs();
    const [req] = await receiver.waitForRequests(1);
    const body = new Webhook(secret).verify(req!.rawBody, req!.headers as Record<string, string>) as {
      type: string;
      data: { api_key_id: string };
    };
    expect(body.type).toBe('api_key.created');
    expect(body.data.api_key_id).toBe(res.body.id);
  });
});
