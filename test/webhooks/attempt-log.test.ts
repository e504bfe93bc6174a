import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { SEALED, seal } from '../../server/modules/secrets/sealed-columns.ts';
import { ownerOf } from '../../server/modules/webhooks/destinations.service.ts';
import { WebhookDestination } from '../../server/modules/webhooks/webhook-destination.entity.ts';
import { consoleClient, consoleErrorCode, consoleUserFactory } from '../support/console.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const hub = useTestHub({}, { listen: true });

/** What the console's delivery log needs from the API: attempt headers, one delivery, time ranges, pausing. */
describe('webhook delivery log for the console', () => {
  let receiver: WebhookReceiver;
  let partnerId: string;
  let token: string;
  const api = (path: string) => `/api/v2/partners/${partnerId}${path}`;
  const get = (path: string) => request(hub.app).get(api(path)).set(bearer(token));
  const post = (path: string, body: object = {}) =>
    request(hub.app).post(api(path)).set(bearer(token)).send(body);

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.close());
  beforeEach(async () => {
    hub.clock.set(new Date());
    receiver.requests.length = 0;
    receiver.otherwiseRespond({ status: 200, body: 'ok' });
    const created = await partnerFactory(hub.em(), hub.deps, 'Log Co');
    partnerId = created.partner.id;
    token = created.token;
  });

  async function endpoint(path: string): Promise<string> {
    const res = await post('/webhook_endpoints', { url: `${receiver.url}${path}` });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  it("logs each attempt's request headers as sent, custom header values redacted, for scheduled and manual attempts", async () => {
    const id = await endpoint('/failing');
    // A custom header (as channel webhooks carry them) is a sealed secret: the log names it only.
    const em = hub.em();
    const dest = await em.findOneOrFail(WebhookDestination, id);
    dest.headersSealed = seal(
      hub.deps.secretBox,
      SEALED.destinationHeaders,
      ownerOf(dest),
      JSON.stringify({ Authorization: 'Basic c2VjcmV0' }),
    );
    await em.flush();
    receiver.otherwiseRespond({ status: 500, body: 'database down' });
    const sent = await post(`/webhook_endpoints/${id}/test`);
    await hub.drainJobs();
    const [received] = await receiver.waitForRequests(1);
    expect(received!.headers.authorization).toBe('Basic c2VjcmV0');

    const attempts = await get(`/deliveries/${sent.body.delivery_id}/attempts`);
    expect(attempts.status).toBe(200);
    const [first] = attempts.body.attempts;
    expect(first).toMatchObject({
      trigger: 'scheduled',
      response_status: 500,
      response_body: 'database down',
      duration_ms: expect.any(Number),
      request_headers: {
        Authorization: '[redacted]',
        'content-type': 'application/json',
        'webhook-id': sent.body.event_id,
        'webhook-timestamp': received!.headers['webhook-timestamp'],
        'webhook-signature': received!.headers['webhook-signature'],
        'x-hub-signature-256': received!.headers['x-hub-signature-256'],
        'x-hub-event': 'ping',
        'x-hub-delivery': first.id,
      },
    });
    expect(JSON.stringify(attempts.body)).not.toContain('c2VjcmV0');

    receiver.otherwiseRespond({ status: 204 });
    const resent = await post(`/deliveries/${sent.body.delivery_id}/resend`);
    expect(resent.body.attempt).toMatchObject({
      trigger: 'manual',
      response_status: 204,
      request_headers: { Authorization: '[redacted]', 'x-hub-delivery': resent.body.attempt.id },
    });
    const delivery = await get(`/deliveries/${sent.body.delivery_id}`);
    expect(delivery.body).toMatchObject({ status: 'succeeded', attempt_count: 2, endpoint_id: id });
  });

  it('gets one delivery; another partner’s, or none, is 404 not_found', async () => {
    const id = await endpoint('/ok');
    const sent = await post(`/webhook_endpoints/${id}/test`);
    const one = await get(`/deliveries/${sent.body.delivery_id}`);
    expect(one.status).toBe(200);
    const listed = await get('/deliveries');
    expect(listed.body.deliveries).toContainEqual(one.body);

    const other = await partnerFactory(hub.em(), hub.deps, 'Other Co');
    const theirs = await request(hub.app)
      .get(`/api/v2/partners/${other.partner.id}/deliveries/${sent.body.delivery_id}`)
      .set(bearer(other.token));
    expect([theirs.status, theirs.body.error.code]).toEqual([404, 'not_found']);
    const none = await get('/deliveries/whd_nope');
    expect([none.status, none.body.error.code]).toEqual([404, 'not_found']);
  });

  it('lists deliveries in a time range [since, until); until not after since is 400 validation_failed', async () => {
    const id = await endpoint('/ok');
    const start = new Date('2031-03-01T10:00:00Z');
    hub.clock.set(start);
    const early = await post(`/webhook_endpoints/${id}/test`);
    hub.clock.set(new Date('2031-03-01T11:00:00Z'));
    const late = await post(`/webhook_endpoints/${id}/test`);
    const ids = async (q: string) =>
      (await get(`/deliveries?${q}`)).body.deliveries.map((d: { id: string }) => d.id);

    expect(await ids('until=2031-03-01T10:30:00Z')).toEqual([early.body.delivery_id]);
    expect(await ids('since=2031-03-01T10:30:00Z')).toEqual([late.body.delivery_id]);
    // The bound is exclusive: a delivery created at `until` belongs to the next range.
    expect(await ids('since=2031-03-01T10:00:00Z&until=2031-03-01T11:00:00Z')).toEqual([
      early.body.delivery_id,
    ]);
    for (const q of [
      'since=2031-03-01T11:00:00Z&until=2031-03-01T11:00:00Z',
      'since=2031-03-01T11:00:00Z&until=2031-03-01T10:00:00Z',
      'until=yesterday',
    ]) {
      const bad = await get(`/deliveries?${q}`);
      expect([bad.status, bad.body.error.code], q).toEqual([400, 'validation_failed']);
    }
  });

  it('disables an endpoint by hand: pending deliveries fail, nothing is sent, enable + recover delivers them', async () => {
    const id = await endpoint('/paused');
    const pending = await post(`/webhook_endpoints/${id}/test`);
    const disabled = await post(`/webhook_endpoints/${id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({
      id,
      status: 'disabled',
      disabled_reason: 'disabled by a partner user',
    });
    expect((await get(`/deliveries/${pending.body.delivery_id}`)).body.status).toBe('failed');
    // Disabling again changes nothing (the first reason stays).
    expect((await post(`/webhook_endpoints/${id}/disable`)).body.disabled_reason).toBe(
      'disabled by a partner user',
    );

    const meanwhile = await post(`/webhook_endpoints/${id}/test`);
    await hub.drainJobs();
    // Earlier tests' deliveries drain too: only this endpoint's path counts.
    const paused = () => receiver.requests.filter((r) => r.path === '/paused');
    expect(paused()).toHaveLength(0);
    expect((await get(`/deliveries/${meanwhile.body.delivery_id}`)).body.status).toBe('failed');
    const audit = await hub.em().find(AuditLog, { action: 'webhook_endpoint.disabled', targetId: id });
    expect(audit).toHaveLength(1);
    // Announced once, like an automatic disable, with the reason.
    const events = await query<{ body: string }>(
      hub.em(),
      `select body from webhook_events where type = 'webhook_endpoint.disabled' and body like ?`,
      [`%${id}%`],
    );
    expect(events.map((e) => JSON.parse(e.body).data)).toEqual([
      expect.objectContaining({ endpoint_id: id, reason: 'disabled by a partner user' }),
    ]);

    expect((await post(`/webhook_endpoints/${id}/enable`)).body.status).toBe('enabled');
    const since = new Date(hub.clock.now().getTime() - 60_000).toISOString();
    // The two tests and the disable's own announcement, logged as failed for it meanwhile.
    expect((await post('/deliveries/recover', { since })).body).toEqual({ recovered: 3 });
    await hub.drainJobs();
    await expect.poll(() => paused().length, { timeout: 5_000 }).toBe(3);
    expect((await get(`/deliveries/${meanwhile.body.delivery_id}`)).body.status).toBe('succeeded');

    const missing = await post('/webhook_endpoints/wep_nope/disable');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
  });

  it('in the console, a viewer reads the log and the event catalogue but may not disable, resend or recover (403 forbidden)', async () => {
    const id = await endpoint('/ok');
    const sent = await post(`/webhook_endpoints/${id}/test`);
    const { email, password } = await consoleUserFactory(hub, partnerId, 'viewer');
    const c = consoleClient(hub.url);
    await c.signIn(email, password);
    const one = await c.api.webhooks.deliveries.get.query({ delivery_id: sent.body.delivery_id });
    expect(one.id).toBe(sent.body.delivery_id);
    expect(await consoleErrorCode(c.api.webhooks.endpoints.disable.mutate({ endpoint_id: id }))).toBe(
      'forbidden',
    );
    expect(
      await consoleErrorCode(c.api.webhooks.deliveries.resend.mutate({ delivery_id: sent.body.delivery_id })),
    ).toBe('forbidden');
    expect(
      await consoleErrorCode(c.api.webhooks.deliveries.recover.mutate({ since: '2000-01-01T00:00:00Z' })),
    ).toBe('forbidden');

    // The catalogue the console's filters offer, served rather than bundled; operators act for no partner.
    const { event_types } = await c.api.console.webhooks.eventTypes.query();
    expect(event_types).toContainEqual({ type: 'ping', inbound: false });
    expect(event_types).toContainEqual({ type: 'message.received', inbound: true });
    const operator = await consoleUserFactory(hub, null, 'operator');
    const o = consoleClient(hub.url);
    await o.signIn(operator.email, operator.password);
    expect(await consoleErrorCode(o.api.console.webhooks.eventTypes.query())).toBe('forbidden');
  });
});
