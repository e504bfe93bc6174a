import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { secretContext } from '../../server/modules/webhooks/destination-secrets.ts';
import { ownerOf, primaryDestinationOf } from '../../server/modules/webhooks/destinations.service.ts';
import { recordEvent } from '../../server/modules/webhooks/record-events.ts';
import { WebhookAttempt } from '../../server/modules/webhooks/webhook-attempt.entity.ts';
import { WebhookDelivery } from '../../server/modules/webhooks/webhook-delivery.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { dataOf, jobsOf, recordPing } from '../support/webhooks.ts';

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
    await query(hub.em(), "update webhook_deliveries set status = 'failed' where status = 'pending'");
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

  const ping = async (message = 'hello') => recordPing(hub.em(), hub.clock, partner, message);
  const deliveryOf = async (eventId: string) => hub.em().findOneOrFail(WebhookDelivery, { event: eventId });
  const attemptsOf = async (deliveryId: string) =>
    hub.em().find(WebhookAttempt, { delivery: deliveryId }, { orderBy: { id: 'asc' } });
  const secondsUntilNext = async (eventId: string) =>
    ((await deliveryOf(eventId)).nextAttemptAt!.getTime() - hub.clock.now().getTime()) / 1000;

  it('delivers a signed {type, timestamp, partner_id, data} body that the standardwebhooks library verifies', async () => {
    const event = await ping();
    await hub.drainJobs();
    const [req] = await receiver.waitForRequests(1);
    const body = new Webhook(secret).verify(req!.rawBody, req!.headers as Record<string, string>);
    expect(body).toEqual({
      type: 'ping',
      timestamp: event.createdAt.toISOString(),
      partner_id: partner.id,
      data: { message: 'hello' },
    });
    expect(req!.headers['webhook-id']).toBe(event.id);
    expect(req!.headers['x-hub-event']).toBe('ping');
    const delivery = await deliveryOf(event.id);
    const attempts = await attemptsOf(delivery.id);
    expect(attempts.map((a) => [a.id, a.trigger, a.responseStatus, a.responseBody])).toEqual([
      [req!.headers['x-hub-delivery'], 'scheduled', 200, 'ok'],
    ]);
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 1 });
  });

  it('records an event, its delivery and its job in the caller transaction: a rollback leaves none of them', async () => {
    const primary = await primaryDestinationOf(hub.em(), partner.id);
    await expect(
      hub.em().transactional(async (tx) => {
        await recordEvent(tx, hub.clock, { partnerId: partner.id, type: 'ping', data: { message: 'never' } });
        // Inside the transaction all three exist...
        expect(await tx.count(WebhookEvent, { partner: partner.id, type: 'ping' })).toBe(1);
        expect(await tx.count(WebhookDelivery, { partner: partner.id, status: 'pending' })).toBe(1);
        expect(await jobsOf(tx, primary.id)).toHaveLength(1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // ...and after the rollback none does.
    expect(await hub.em().count(WebhookEvent, { partner: partner.id, type: 'ping' })).toBe(0);
    expect(await hub.em().count(WebhookDelivery, { partner: partner.id, status: 'pending' })).toBe(0);
    expect(await jobsOf(hub.em(), primary.id)).toEqual([]);
    await hub.drainJobs();
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses to record events outside a transaction', async () => {
    await expect(
      recordEvent(hub.em(), hub.clock, { partnerId: partner.id, type: 'ping', data: { message: 'x' } }),
    ).rejects.toThrow(/inside a transaction/);
  });

  it('schedules each retry as a job at its time: 500 three times then 200 ends succeeded with 4 attempts, one webhook-id', async () => {
    receiver.respondWith({ status: 500 }, { status: 500 }, { status: 500 });
    const event = await ping();
    const primary = await primaryDestinationOf(hub.em(), partner.id);
    const waits = [6_100, 6 * 60_000, 36 * 60_000]; // each step's delay plus the 20 % jitter
    await hub.drainJobs();
    for (const wait of waits) {
      const d = await deliveryOf(event.id);
      expect(d.status).toBe('pending');
      // The retry is a graphile-worker job due exactly when the delivery is.
      const jobs = await jobsOf(hub.em(), primary.id);
      expect(jobs.map((j) => j.runAt.getTime())).toContain(d.nextAttemptAt!.getTime());
      hub.clock.advance(wait);
      await hub.drainJobs();
    }
    const delivery = await deliveryOf(event.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 4 });
    expect((await attemptsOf(delivery.id)).map((a) => a.responseStatus)).toEqual([500, 500, 500, 200]);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([event.id]));
    expect(new Set(receiver.requests.map((r) => r.headers['x-hub-delivery'])).size).toBe(4);
  });

  it('runs nothing before its time', async () => {
    receiver.respondWith({ status: 500 });
    const event = await ping();
    await hub.drainJobs();
    const wait = await secondsUntilNext(event.id);
    expect(wait).toBeGreaterThanOrEqual(4);
    expect(wait).toBeLessThanOrEqual(6);
    hub.clock.advance(wait * 1000 - 400);
    await hub.drainJobs();
    expect(receiver.requests).toHaveLength(1);
    hub.clock.advance(400);
    await hub.drainJobs();
    expect(receiver.requests).toHaveLength(2);
  });

  it('keeps to the schedule after a 503 without Retry-After: no hidden floor', async () => {
    receiver.respondWith({ status: 503 });
    const event = await ping();
    await hub.drainJobs();
    const wait = await secondsUntilNext(event.id);
    expect(wait).toBeGreaterThanOrEqual(4);
    expect(wait).toBeLessThanOrEqual(6);
  });

  it('honours Retry-After', async () => {
    receiver.respondWith({ status: 429, headers: { 'retry-after': '120' } });
    const event = await ping();
    await hub.drainJobs();
    expect(await secondsUntilNext(event.id)).toBe(120);
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
    const primary = await primaryDestinationOf(hub.em(), partner.id);
    expect(primary.disabledAt).not.toBeNull();
    expect(primary.disabledReason).toBe('the endpoint answered 410 Gone');
    const disabled = await hub
      .em()
      .find(WebhookEvent, { partner: partner.id, type: 'webhook_endpoint.disabled' });
    expect(disabled.map(dataOf)).toEqual([
      { endpoint_id: 'primary', url: `${receiver.url}/hooks`, reason: 'the endpoint answered 410 Gone' },
    ]);

    const later = await ping('after');
    await hub.drainJobs();
    expect((await deliveryOf(later.id)).status).toBe('failed');
    expect(receiver.requests).toHaveLength(1);
  });

  it('signs with both secrets during a rotation overlap', async () => {
    const em = hub.em();
    const primary = await primaryDestinationOf(em, partner.id);
    const previous = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
    primary.previousSecretSealed = hub.deps.secretBox.encrypt(
      previous,
      secretContext(ownerOf(primary), 'previous'),
    );
    primary.previousSecretExpiresAt = new Date(hub.clock.now().getTime() + 3600_000);
    await em.flush();
    await ping();
    await hub.drainJobs();
    const [req] = await receiver.waitForRequests(1);
    expect(req!.headers['webhook-signature']!.toString().split(' ')).toHaveLength(2);
    for (const s of [secret, previous])
      expect(() => new Webhook(s).verify(req!.rawBody, req!.headers as Record<string, string>)).not.toThrow();
  });

  it('delivers API events end to end: a key created over REST reaches the webhook', async () => {
    const { channelFactory, clientFactory, permissionFactory } = await import('../support/factories.ts');
    const em = hub.em();
    const channel = await channelFactory(em, await clientFactory(em, partner));
    await permissionFactory(em, partner, channel);
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
