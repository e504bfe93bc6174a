import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { recordEvents } from '../../server/modules/webhooks/record-events.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const hub = useTestHub();

describe('webhook API', () => {
  let receiver: WebhookReceiver;
  let partnerId: string;
  let token: string;
  let primarySecret: string;
  const api = (path: string) => `/api/v2/partners/${partnerId}${path}`;
  const get = (path: string) => request(hub.app).get(api(path)).set(bearer(token));
  const post = (path: string, body: object = {}) =>
    request(hub.app).post(api(path)).set(bearer(token)).send(body);
  const byPath = (path: string) => receiver.requests.filter((r) => r.path === path);

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.close());
  beforeEach(async () => {
    hub.clock.set(new Date());
    receiver.requests.length = 0;
    receiver.otherwiseRespond({ status: 200, body: 'ok' });
    const created = await partnerFactory(hub.em(), hub.deps, 'Hooks Co', {
      webhookUrl: `${receiver.url}/primary`,
    });
    partnerId = created.partner.id;
    token = created.token;
    primarySecret = created.webhookSecret;
  });

  it('manages endpoints: create (secret once), list with the primary first, filter, update, delete', async () => {
    const created = await post('/webhook_endpoints', {
      url: `${receiver.url}/keys-only`,
      description: 'API key events',
      event_types: ['api_key.created', 'api_key.revoked'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^wep_/),
      url: `${receiver.url}/keys-only`,
      event_types: ['api_key.created', 'api_key.revoked'],
      status: 'enabled',
      secret: expect.stringMatching(/^whsec_/),
    });
    const list = await get('/webhook_endpoints');
    expect(list.body.webhook_endpoints.map((e: { id: string }) => e.id)).toEqual([
      'primary',
      created.body.id,
    ]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    expect(JSON.stringify(list.body)).not.toContain(primarySecret);

    // A ping matches only the primary; the filtered endpoint stays quiet.
    await post('/webhook_endpoints/primary/test');
    await hub.drainJobs();
    expect(byPath('/primary')).toHaveLength(1);
    expect(byPath('/keys-only')).toHaveLength(0);

    const patched = await request(hub.app)
      .patch(api(`/webhook_endpoints/${created.body.id}`))
      .set(bearer(token))
      .send({ event_types: null, description: null });
    expect(patched.body).toMatchObject({ event_types: null, description: null });
    const bad = await post('/webhook_endpoints', { url: 'http://10.0.0.1/hook' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    const badType = await post('/webhook_endpoints', { url: `${receiver.url}/x`, event_types: ['nope'] });
    expect(badType.status).toBe(400);
    const primaryPatch = await request(hub.app)
      .patch(api('/webhook_endpoints/primary'))
      .set(bearer(token))
      .send({ description: 'x' });
    expect(primaryPatch.status).toBe(400);

    const del = await request(hub.app)
      .delete(api(`/webhook_endpoints/${created.body.id}`))
      .set(bearer(token));
    expect(del.status).toBe(204);
    expect((await get(`/webhook_endpoints/${created.body.id}`)).status).toBe(404);
    const actions = (await hub.em().find(AuditLog, { partner: partnerId })).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'webhook_endpoint.created',
        'webhook_endpoint.updated',
        'webhook_endpoint.deleted',
      ]),
    );
  });

  it("sends a test ping to one endpoint, signed with that endpoint's own secret", async () => {
    const created = await post('/webhook_endpoints', { url: `${receiver.url}/extra` });
    const sent = await post(`/webhook_endpoints/${created.body.id}/test`);
    expect(sent.status).toBe(201);
    await hub.drainJobs();
    const [req] = byPath('/extra');
    expect(byPath('/primary')).toHaveLength(0);
    expect(
      new Webhook(created.body.secret).verify(req!.rawBody, req!.headers as Record<string, string>),
    ).toMatchObject({
      type: 'ping',
      data: { message: 'Test ping from Partner Hub' },
    });
    expect(req!.headers['webhook-id']).toBe(sent.body.event_id);
  });

  it('rotates a secret: both signatures for the grace window, then only the new one', async () => {
    const rotated = await post('/webhook_endpoints/primary/rotate_secret', { grace_period_seconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    await post('/webhook_endpoints/primary/test');
    await hub.drainJobs();
    const [during] = byPath('/primary');
    for (const s of [primarySecret, rotated.body.secret]) {
      expect(() =>
        new Webhook(s).verify(during!.rawBody, during!.headers as Record<string, string>),
      ).not.toThrow();
    }
    hub.clock.advance(3600_000 + 1);
    await post('/webhook_endpoints/primary/test');
    await hub.drainJobs();
    const after = byPath('/primary')[1]!;
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
  });

  it('re-enables a disabled endpoint and recovers what it missed', async () => {
    receiver.respondWith({ status: 410 });
    await post('/webhook_endpoints/primary/test');
    await hub.drainJobs();
    const disabled = await get('/webhook_endpoints/primary');
    expect(disabled.body).toMatchObject({
      status: 'disabled',
      disabled_reason: 'the endpoint answered 410 Gone',
    });

    await post('/webhook_endpoints/primary/test'); // recorded as failed while disabled
    const nothing = await post('/deliveries/recover', { since: new Date(0).toISOString() });
    expect(nothing.body).toEqual({ recovered: 0 });

    const enabled = await post('/webhook_endpoints/primary/enable');
    expect(enabled.body.status).toBe('enabled');
    const recovered = await post('/deliveries/recover', {
      since: new Date(0).toISOString(),
      endpoint_id: 'primary',
    });
    expect(recovered.body.recovered).toBeGreaterThanOrEqual(2);
    await hub.drainJobs();
    const failed = await get('/deliveries?status=failed');
    expect(failed.body.deliveries).toEqual([]);
  });

  it('lists events and deliveries with filters, shows attempts, and resends by hand without rescheduling', async () => {
    receiver.respondWith({ status: 500, body: 'boom' });
    const sent = await post('/webhook_endpoints/primary/test');
    await hub.drainJobs();

    const events = await get('/events?type=ping');
    expect(events.body.events.map((e: { id: string }) => e.id)).toEqual([sent.body.event_id]);
    expect((await get(`/events/${sent.body.event_id}`)).body).toMatchObject({
      type: 'ping',
      data: { message: 'Test ping from Partner Hub' },
    });

    const pending = await get('/deliveries?status=pending&endpoint_id=primary');
    expect(pending.body.deliveries).toHaveLength(1);
    const delivery = pending.body.deliveries[0];
    expect(delivery).toMatchObject({
      id: sent.body.delivery_id,
      event_type: 'ping',
      destination: 'partner_webhook',
      endpoint_id: 'primary',
      attempt_count: 1,
    });
    const nextAttemptAt = delivery.next_attempt_at;

    const attempts = await get(`/deliveries/${delivery.id}/attempts`);
    expect(attempts.body.attempts).toEqual([
      expect.objectContaining({
        trigger: 'scheduled',
        response_status: 500,
        response_body: 'boom',
        error: null,
      }),
    ]);

    receiver.respondWith({ status: 503 });
    const resent = await post(`/deliveries/${delivery.id}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body.attempt).toMatchObject({ trigger: 'manual', response_status: 503 });
    expect(resent.body.delivery).toMatchObject({
      status: 'pending',
      attempt_count: 2,
      next_attempt_at: nextAttemptAt,
    });

    const ok = await post(`/deliveries/${delivery.id}/resend`);
    expect(ok.body.delivery).toMatchObject({ status: 'succeeded', next_attempt_at: null });
    expect(
      (await get(`/deliveries/${delivery.id}/attempts`)).body.attempts.map(
        (a: { trigger: string }) => a.trigger,
      ),
    ).toEqual(['scheduled', 'manual', 'manual']);
  });

  it('filters deliveries by event type, the type copied onto each delivery by every recording path', async () => {
    const extra = await post('/webhook_endpoints', { url: `${receiver.url}/all` });
    const ping = await post('/webhook_endpoints/primary/test');
    // A lifecycle event (data) and an inbound-style event (exact body), in one batch.
    await hub.em().transactional((tx) =>
      recordEvents(tx, hub.clock, [
        {
          partnerId,
          type: 'permission.revoked',
          data: { permission_id: 'prm_x', channel_id: 'chn_x', client_id: 'cli_x' },
        },
        { partnerId, type: 'api_key.created', body: '{"type":"api_key.created","data":{}}' },
      ]),
    );
    const ofType = async (type: string, extra = '') =>
      (await get(`/deliveries?event_type=${type}${extra}`)).body.deliveries.map(
        (d: { event_type: string; endpoint_id: string }) => `${d.event_type} ${d.endpoint_id === 'primary'}`,
      );
    expect(await ofType('ping')).toEqual(['ping true']);
    expect((await ofType('permission.revoked')).sort()).toEqual([
      'permission.revoked false',
      'permission.revoked true',
    ]);
    expect(await ofType('api_key.created', '&endpoint_id=primary')).toEqual(['api_key.created true']);
    expect(await ofType('client.created')).toEqual([]);
    const paged = await get('/deliveries?event_type=permission.revoked&limit=1');
    const rest = await get(
      `/deliveries?event_type=permission.revoked&limit=1&cursor=${paged.body.next_cursor}`,
    );
    expect([...paged.body.deliveries, ...rest.body.deliveries].map((d: { id: string }) => d.id)).toEqual(
      (await get('/deliveries?event_type=permission.revoked')).body.deliveries.map(
        (d: { id: string }) => d.id,
      ),
    );
    const [mismatched] = await query<{ n: number }>(
      hub.em(),
      `select count(*)::int n from webhook_deliveries d join webhook_events e on e.id = d.event_id
        where d.partner_id = ? and d.event_type <> e.type`,
      [partnerId],
    );
    expect(mismatched!.n).toBe(0);

    // One endpoint's deliveries; another partner's endpoint id shows nothing.
    const ofEndpoint = async (id: string, extraQuery = '') =>
      (await get(`/deliveries?endpoint_id=${id}${extraQuery}`)).body.deliveries.map(
        (d: { event_type: string; endpoint_id: string }) => `${d.event_type} ${d.endpoint_id === id}`,
      );
    expect((await ofEndpoint(extra.body.id)).sort()).toEqual([
      'api_key.created true',
      'permission.revoked true',
    ]);
    expect(await ofEndpoint(extra.body.id, '&event_type=api_key.created')).toEqual(['api_key.created true']);
    const rival = await partnerFactory(hub.em(), hub.deps, 'Rival Hooks');
    const rivalEndpoint = await request(hub.app)
      .post(`/api/v2/partners/${rival.partner.id}/webhook_endpoints`)
      .set(bearer(rival.token))
      .send({ url: `${receiver.url}/rival` });
    expect(rivalEndpoint.status).toBe(201);
    expect(await ofEndpoint(rivalEndpoint.body.id)).toEqual([]);
    expect(ping.status).toBe(201);
  });

  it('works the same over tRPC', async () => {
    const trpc = hub.trpc(token);
    const created = await trpc.webhooks.endpoints.create({ url: `${receiver.url}/trpc` });
    expect((await trpc.webhooks.endpoints.list()).webhook_endpoints.map((e) => e.id)).toEqual([
      'primary',
      created.id,
    ]);
    const sent = await trpc.webhooks.endpoints.test({ endpoint_id: created.id });
    await hub.drainJobs();
    expect(byPath('/trpc')).toHaveLength(1);
    expect((await trpc.webhooks.events.get({ event_id: sent.event_id })).type).toBe('ping');
    const deliveries = await trpc.webhooks.deliveries.list({ endpoint_id: created.id });
    expect(deliveries.deliveries.map((d) => d.status)).toEqual(['succeeded']);
    expect(
      (await trpc.webhooks.deliveries.attempts({ delivery_id: sent.delivery_id })).attempts,
    ).toHaveLength(1);
    const rotated = await trpc.webhooks.endpoints.rotateSecret({
      endpoint_id: created.id,
      grace_period_seconds: 0,
    });
    expect(rotated.secret).toMatch(/^whsec_/);
    await trpc.webhooks.endpoints.update({ endpoint_id: created.id, event_types: ['ping'] });
    await trpc.webhooks.endpoints.delete({ endpoint_id: created.id });
    await expect(trpc.webhooks.endpoints.get({ endpoint_id: created.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await trpc.webhooks.deliveries.recover({ since: new Date(0).toISOString() })).recovered).toBe(0);
  });
});
