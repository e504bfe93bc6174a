import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { channelSecretContext } from '../../server/modules/channels/channel-secrets.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import { OnboardingSession } from '../../server/modules/onboarding/onboarding-session.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { enqueue } from '../support/enqueue.ts';
import { onboardingSessionFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { sandboxSignup } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const SUCCESS = 'https://partner.example/onboarded';
const FAILURE = 'https://partner.example/failed';
const CANCEL = 'https://partner.example/cancelled';
const csrfOf = (html: string) =>
  /data-csrf-token="([^"]+)"/.exec(html)?.[1] ?? /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A tenant's Meta webhook: echoes hub.challenge when the verify token matches. */
function tenantWebhook() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push(url.search);
    if (url.pathname === '/broken') return res.writeHead(500).end('nope');
    if (url.pathname === '/wrong') return res.writeHead(200).end('not-the-challenge');
    if (url.searchParams.get('hub.verify_token') !== 'tenant-token') return res.writeHead(403).end();
    res.writeHead(200).end(url.searchParams.get('hub.challenge') ?? '');
  });
  return new Promise<{ url: string; seen: string[]; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

describe('onboarding sessions', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let token: string;
  let receiver: WebhookReceiver;
  let tenantHook: Awaited<ReturnType<typeof tenantWebhook>>;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    tenantHook = await tenantWebhook();
    const em = hub.em();
    const created = await partnerFactory(em, hub.deps, 'Acme SaaS', { webhookUrl: `${receiver.url}/events` });
    token = created.token;
    partner = await em.findOneOrFail(Partner, created.partner.id);
    partner.allowedRedirectUrls = [SUCCESS, FAILURE, CANCEL];
    await em.flush();
  });
  afterAll(async () => {
    await receiver.close();
    await tenantHook.close();
  });

  /** The partner-webhook events of one session, waiting (event-driven) until `count` arrived. */
  async function eventsOf(sessionId: string, count: number) {
    const mine = () =>
      receiver.requests.map((r) => JSON.parse(r.rawBody)).filter((e) => e.data?.session_id === sessionId);
    await expect.poll(() => mine().length, { timeout: 5000 }).toBe(count);
    return mine();
  }

  /** The tenant opens the link and presses Start: the page then offers Connect WhatsApp. */
  async function start(agent: ReturnType<typeof request.agent>, path: string) {
    const landing = await agent.get(path);
    expect(landing.status).toBe(200);
    const opened = await agent
      .post(`${path}/open`)
      .type('form')
      .send({ _csrf: csrfOf(landing.text) });
    expect([opened.status, opened.headers.location]).toEqual([303, path]);
    return agent.get(path);
  }

  const create = (body: object, key?: string) => {
    const req = request(hub.app)
      .post(`/api/v2/partners/${partner.id}/onboarding_sessions`)
      .set(bearer(token));
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };

  it('creates a pending session with a one-time URL', async () => {
    const res = await create({
      tenant_id: 'tenant-1',
      tenant_name: 'Sunrise Bakery',
      success_redirect_url: SUCCESS,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^obs_/),
      onboarding_url: expect.stringMatching(new RegExp(`^${hub.url}/onboard/[A-Za-z0-9_-]{43}$`)),
      status: 'pending',
      tenant_id: 'tenant-1',
      connection_types: ['cloud_api'],
    });
    expect(Date.parse(res.body.expires_at) - hub.clock.now().getTime()).toBe(3600 * 1000);
    const got = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/onboarding_sessions/${res.body.id}`)
      .set(bearer(token));
    expect(got.body.onboarding_url).toBe(res.body.onboarding_url);
  });

  it('is idempotent: same key and body give the same session, a different body 422', async () => {
    const body = { tenant_id: 'tenant-idem', expires_in_seconds: 600 };
    const a = await create(body, 'idem-1');
    const b = await create(body, 'idem-1');
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const c = await create({ ...body, tenant_id: 'tenant-other' }, 'idem-1');
    expect([c.status, c.body.error.code]).toEqual([422, 'idempotency_key_reused']);
    const trpcA = await hub
      .trpc(token, { idempotencyKey: 'idem-2' })
      .onboarding.create({ tenant_id: 't', expires_in_seconds: 600 });
    const trpcB = await hub
      .trpc(token, { idempotencyKey: 'idem-2' })
      .onboarding.create({ tenant_id: 't', expires_in_seconds: 600 });
    expect(trpcB.id).toBe(trpcA.id);
  });

  it('accepts only redirect URLs on the allowlist, and validates the rest', async () => {
    const bad = await create({ tenant_id: 't', success_redirect_url: 'https://evil.example/x' });
    expect([bad.status, bad.body.error.code, bad.body.error.details.field]).toEqual([
      422,
      'invalid_redirect_url',
      'success_redirect_url',
    ]);
    // The query string may vary (Dualhook's quickstart passes its customer that way); the path may not.
    const withQuery = await create({ tenant_id: 't', success_redirect_url: `${SUCCESS}?cust=42` });
    expect([withQuery.status, withQuery.body.success_redirect_url]).toEqual([201, `${SUCCESS}?cust=42`]);
    const otherPath = await create({ tenant_id: 't', success_redirect_url: `${SUCCESS}/x?cust=42` });
    expect(otherPath.body.error?.code).toBe('invalid_redirect_url');
    for (const body of [
      {},
      { tenant_id: 't', expires_in_seconds: 299 },
      { tenant_id: 't', expires_in_seconds: 86_401 },
      { tenant_id: 't', metadata: { blob: 'x'.repeat(5000) } },
      { tenant_id: 't', connection_types: ['fax'] },
      { tenant_id: 't', webhook_override_url: `${tenantHook.url}/hook` },
    ]) {
      const res = await create(body);
      expect([res.status, res.body.error.code], JSON.stringify(body).slice(0, 60)).toEqual([
        400,
        'validation_failed',
      ]);
    }
  });

  it('preflights the tenant webhook like Meta, and can skip it', async () => {
    const ok = await create({
      tenant_id: 't',
      webhook_override_url: `${tenantHook.url}/hook`,
      webhook_verify_token: 'tenant-token',
    });
    expect(ok.status).toBe(201);
    expect(tenantHook.seen.at(-1)).toMatch(
      /hub\.mode=subscribe&hub\.verify_token=tenant-token&hub\.challenge=[0-9a-f]{24}/,
    );
    const http500 = await create({
      tenant_id: 't',
      webhook_override_url: `${tenantHook.url}/broken`,
      webhook_verify_token: 'x',
    });
    expect([http500.status, http500.body.error.code, http500.body.error.details]).toEqual([
      422,
      'webhook_preflight_failed',
      { category: 'endpoint_http_error', status: 500 },
    ]);
    const noEcho = await create({
      tenant_id: 't',
      webhook_override_url: `${tenantHook.url}/wrong`,
      webhook_verify_token: 'x',
    });
    expect(noEcho.body.error.details).toEqual({ category: 'endpoint_http_error', status: 200 });
    const down = await create({
      tenant_id: 't',
      webhook_override_url: 'http://127.0.0.1:9/hook',
      webhook_verify_token: 'x',
    });
    expect(down.body.error.details).toEqual({ category: 'endpoint_unreachable', status: null });
    const skipped = await create({
      tenant_id: 't',
      webhook_override_url: 'http://127.0.0.1:9/hook',
      webhook_verify_token: 'x',
      skip_webhook_preflight: true,
    });
    expect(skipped.status).toBe(201);
  });

  it('expires sessions through the scheduled job, even unopened, with onboarding_session.failed', async () => {
    const res = await create({ tenant_id: 'tenant-exp', expires_in_seconds: 300, metadata: { crm: 7 } });
    hub.clock.advance(301 * 1000);
    await hub.em().transactional((tx) => enqueue(tx, hub.clock, 'expire_onboarding_sessions', {}));
    await hub.drainJobs();
    const got = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/onboarding_sessions/${res.body.id}`)
      .set(bearer(token));
    expect(got.body).toMatchObject({ status: 'expired', failure_reason: 'expired' });
    const page = await request(hub.app).get(new URL(res.body.onboarding_url).pathname);
    expect(page.status).toBe(410);
    expect(page.text).toContain('This link has expired');
    const failed = (await eventsOf(res.body.id, 1))[0];
    expect(failed).toMatchObject({
      type: 'onboarding_session.failed',
      data: { reason: 'expired', metadata: { crm: 7 } },
    });
  });

  it('completes through the page, links the client by tenant_id, grants, redirects, and cannot be reused', async () => {
    const res = await create({
      tenant_id: 'tenant-done',
      tenant_name: 'Sunrise Bakery',
      success_redirect_url: SUCCESS,
      metadata: { plan: 'pro' },
    });
    const path = new URL(res.body.onboarding_url).pathname;
    const agent = request.agent(hub.app);
    const page = await start(agent, path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Connect WhatsApp for Sunrise Bakery');
    const signup = await sandboxSignup(hub);
    const done = await agent
      .post(`${path}/complete`)
      .set({ 'x-csrf-token': csrfOf(page.text), accept: 'application/json' })
      .send(signup);
    expect(done.status).toBe(200);
    const redirect = new URL(done.body.redirect_url);
    expect(redirect.origin + redirect.pathname).toBe(SUCCESS);
    expect(redirect.searchParams.get('session_id')).toBe(res.body.id);
    expect(redirect.searchParams.get('status')).toBe('completed');
    expect(redirect.searchParams.get('tenant_id')).toBe('tenant-done');
    const channelId = redirect.searchParams.get('channel_id')!;
    const channel = await hub.em().findOneOrFail(Channel, channelId, { populate: ['client'] });
    expect(channel.status).toBe('live');
    expect((channel.client as Client).externalId).toBe('tenant-done');
    expect(
      await hub.em().count(Permission, { partner: partner.id, channel: channelId, revokedAt: null }),
    ).toBe(1);

    const again = await agent.get(path);
    expect([again.status, again.text.includes('already used')]).toEqual([410, true]);
    const replay = await agent
      .post(`${path}/complete`)
      .set({ 'x-csrf-token': csrfOf(page.text), accept: 'application/json' })
      .send(signup);
    expect([replay.status, replay.body.error.code]).toEqual([409, 'onboarding_session_closed']);

    await hub.drainJobs();
    const mine = await eventsOf(res.body.id, 2);
    expect(mine.map((e) => e.type)).toEqual(['onboarding_session.opened', 'onboarding_session.completed']);
    expect(mine[1].data).toEqual({
      session_id: res.body.id,
      tenant_id: 'tenant-done',
      webhook_endpoint_id: null,
      metadata: { plan: 'pro' },
      client_id: redirect.searchParams.get('client_id'),
      channel_id: channelId,
      waba_id: signup.waba_id,
      phone_number_id: signup.phone_number_id,
      phone_number: channel.phoneNumber,
      is_phone_registered: true,
      connection_type: 'cloud_api',
    });
    // The session shows what it connected; the channel carries the session's tenant and metadata.
    const session = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/onboarding_sessions/${res.body.id}`)
      .set(bearer(token));
    expect(session.body).toMatchObject({
      status: 'completed',
      channel_id: channelId,
      phone_number: channel.phoneNumber,
      waba_id: signup.waba_id,
      phone_number_id: signup.phone_number_id,
      is_phone_registered: true,
      connection_type: 'cloud_api',
    });
    const listed = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/onboarding_sessions?tenant_id=tenant-done`)
      .set(bearer(token));
    expect(listed.body.onboarding_sessions[0]).toMatchObject({ phone_number: channel.phoneNumber });
    const shown = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels/${channelId}`)
      .set(bearer(token));
    expect(shown.body).toMatchObject({ tenant_id: 'tenant-done', metadata: { plan: 'pro' } });
    const viaTrpc = await hub.trpc(token).channels.get({ channel_id: channelId });
    expect(viaTrpc).toMatchObject({
      tenant_id: 'tenant-done',
      metadata: { plan: 'pro' },
      connection_type: 'cloud_api',
    });
  });

  it("completes with the tenant's webhook override: the WABA is subscribed first, then overridden", async () => {
    const res = await create({
      tenant_id: 'tenant-override',
      webhook_override_url: `${tenantHook.url}/hook`,
      webhook_verify_token: 'tenant-token',
    });
    const path = new URL(res.body.onboarding_url).pathname;
    const agent = request.agent(hub.app);
    const page = await start(agent, path);
    const signup = await sandboxSignup(hub);
    const done = await agent
      .post(`${path}/complete`)
      .set({ 'x-csrf-token': csrfOf(page.text), accept: 'application/json' })
      .send(signup);
    // The sandbox, like Meta, refuses an override before the app is subscribed to the WABA:
    // with the override sent first, this completion failed with meta_error.
    expect(done.body.status).toBe('completed');
    const channel = await hub.em().findOneOrFail(Channel, { phoneNumberId: signup.phone_number_id });
    const token = hub.deps.secretBox.decrypt(
      channel.metaTokenSealed!,
      channelSecretContext(channel.id, 'meta_token'),
    );
    const subscribed = await fetch(
      `${hub.url}/sandbox/graph/v23.0/${signup.waba_id}/subscribed_apps?access_token=${token}`,
    ).then((r) => r.json() as Promise<{ data: { override_callback_uri?: string }[] }>);
    expect(subscribed.data.map((d) => d.override_callback_uri)).toEqual([`${tenantHook.url}/hook`]);
  });

  it('a Cancel pressed after completing (no success URL) says the number is connected, with the branding', async () => {
    const res = await create({ tenant_id: 'tenant-late-cancel' });
    const path = new URL(res.body.onboarding_url).pathname;
    const agent = request.agent(hub.app);
    const page = await start(agent, path);
    const done = await agent
      .post(`${path}/complete`)
      .set({ 'x-csrf-token': csrfOf(page.text), accept: 'application/json' })
      .send(await sandboxSignup(hub));
    expect(done.body).toMatchObject({ status: 'completed', message: expect.stringContaining('connected') });
    const cancel = await agent
      .post(`${path}/cancel`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(cancel.status).toBe(200);
    expect(cancel.text).toContain('Already connected');
    expect(cancel.text).toContain(`connected to ${partner.name}`);
    expect(cancel.text).not.toContain(res.body.id);
    expect(
      (
        await request(hub.app)
          .get(`/api/v2/partners/${partner.id}/onboarding_sessions/${res.body.id}`)
          .set(bearer(token))
      ).body.status,
    ).toBe('completed');
  });

  it('fails with the error code and redirects to the failure URL when Meta refuses', async () => {
    const res = await create({ tenant_id: 'tenant-fail', failure_redirect_url: FAILURE });
    const path = new URL(res.body.onboarding_url).pathname;
    const agent = request.agent(hub.app);
    const page = await start(agent, path);
    const signup = await sandboxSignup(hub);
    const malformed = await agent
      .post(`${path}/complete`)
      .set({ 'x-csrf-token': csrfOf(page.text), accept: 'application/json' })
      .send({ code: '', waba_id: 'x', phone_number_id: 'y' });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'validation_failed']);
    const failed = await agent
      .post(`${path}/complete`)
      .set({ 'x-csrf-token': csrfOf(page.text), accept: 'application/json' })
      .send({ ...signup, code: 'expired-or-made-up' });
    expect(failed.body.status).toBe('failed');
    const failure = new URL(failed.body.redirect_url);
    expect(failure.origin + failure.pathname).toBe(FAILURE);
    expect(Object.fromEntries(failure.searchParams)).toEqual({
      session_id: res.body.id,
      tenant_id: 'tenant-fail',
      status: 'failed',
      error: 'meta_error',
      error_message: expect.stringMatching(/^.{1,200}$/),
    });
  });

  it('cancels from the page (cancel URL) and from the API, once', async () => {
    const viaPage = await create({ tenant_id: 'tenant-cancel', cancel_redirect_url: CANCEL });
    const path = new URL(viaPage.body.onboarding_url).pathname;
    const agent = request.agent(hub.app);
    const page = await agent.get(path);
    const cancelled = await agent
      .post(`${path}/cancel`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.location).toBe(
      `${CANCEL}?session_id=${viaPage.body.id}&tenant_id=tenant-cancel&status=cancelled`,
    );

    const viaApi = await create({ tenant_id: 'tenant-cancel' });
    const url = `/api/v2/partners/${partner.id}/onboarding_sessions/${viaApi.body.id}/cancel`;
    expect((await request(hub.app).post(url).set(bearer(token))).body.status).toBe('cancelled');
    const twice = await request(hub.app).post(url).set(bearer(token));
    expect([twice.status, twice.body.error.code]).toEqual([409, 'onboarding_session_closed']);

    const list = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/onboarding_sessions?tenant_id=tenant-cancel&status=cancelled`)
      .set(bearer(token));
    expect(list.body.onboarding_sessions.map((s: { id: string }) => s.id).sort()).toEqual(
      [viaPage.body.id, viaApi.body.id].sort(),
    );
  });

  it('deletes a session that has not finished (REST and tRPC); a finished one keeps its record (409)', async () => {
    const sessionUrl = (id: string) => `/api/v2/partners/${partner.id}/onboarding_sessions/${id}`;
    const pending = await create({ tenant_id: 'tenant-delete' });
    // Another partner cannot see it, so cannot delete it either.
    const other = await partnerFactory(hub.em(), hub.deps, 'Other');
    const foreign = await request(hub.app)
      .delete(`/api/v2/partners/${other.partner.id}/onboarding_sessions/${pending.body.id}`)
      .set(bearer(other.token));
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);

    const deleted = await request(hub.app).delete(sessionUrl(pending.body.id)).set(bearer(token));
    expect(deleted.status).toBe(204);
    expect((await request(hub.app).get(sessionUrl(pending.body.id)).set(bearer(token))).status).toBe(404);
    expect((await request(hub.app).get(new URL(pending.body.onboarding_url).pathname)).status).toBe(404);
    const audit = await hub
      .em()
      .findOne(AuditLog, { targetId: pending.body.id, action: 'onboarding_session.deleted' });
    expect(audit).toMatchObject({ action: 'onboarding_session.deleted', actorType: 'partner_token' });
    const again = await request(hub.app).delete(sessionUrl(pending.body.id)).set(bearer(token));
    expect(again.status).toBe(404);

    // An opened one goes too, over tRPC.
    const opened = await create({ tenant_id: 'tenant-delete' });
    await start(request.agent(hub.app), new URL(opened.body.onboarding_url).pathname);
    await hub.trpc(token).onboarding.delete({ session_id: opened.body.id });
    expect((await request(hub.app).get(sessionUrl(opened.body.id)).set(bearer(token))).status).toBe(404);

    const cancelled = await create({ tenant_id: 'tenant-delete' });
    await request(hub.app)
      .post(`${sessionUrl(cancelled.body.id)}/cancel`)
      .set(bearer(token));
    const refused = await request(hub.app).delete(sessionUrl(cancelled.body.id)).set(bearer(token));
    expect([refused.status, refused.body.error.code, refused.body.error.details.status]).toEqual([
      409,
      'onboarding_session_closed',
      'cancelled',
    ]);
    expect((await request(hub.app).get(sessionUrl(cancelled.body.id)).set(bearer(token))).body.status).toBe(
      'cancelled',
    );
  });

  it('answers 404 for unknown tokens and another partner’s sessions', async () => {
    expect((await request(hub.app).get('/onboard/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(
      404,
    );
    const res = await create({ tenant_id: 'tenant-x' });
    const other = await partnerFactory(hub.em(), hub.deps, 'Other');
    const peek = await request(hub.app)
      .get(`/api/v2/partners/${other.partner.id}/onboarding_sessions/${res.body.id}`)
      .set(bearer(other.token));
    expect(peek.status).toBe(404);
  });

  it('only renders on GET, so link scanners do not open it; Start (a POST with CSRF) opens it once', async () => {
    const res = await create({ tenant_id: 'tenant-scanned' });
    const path = new URL(res.body.onboarding_url).pathname;
    const status = async () =>
      (
        await request(hub.app)
          .get(`/api/v2/partners/${partner.id}/onboarding_sessions/${res.body.id}`)
          .set(bearer(token))
      ).body.status;
    for (let i = 0; i < 3; i++) {
      const scanned = await request(hub.app).get(path);
      expect(scanned.status).toBe(200);
      expect(scanned.text).toContain('>Start</button>');
      expect(scanned.text).not.toContain('id="add-number"');
    }
    expect(await status()).toBe('pending');

    const agent = request.agent(hub.app);
    const landing = await agent.get(path);
    const forged = await agent.post(`${path}/open`).type('form').send({});
    expect(forged.status).toBe(403);
    expect(await status()).toBe('pending');
    const page = await start(agent, path);
    expect(page.text).toContain('id="add-number"');
    await agent
      .post(`${path}/open`)
      .type('form')
      .send({ _csrf: csrfOf(landing.text) });
    expect(await status()).toBe('opened');
    await hub.drainJobs();
    expect((await eventsOf(res.body.id, 1)).map((e) => e.type)).toEqual(['onboarding_session.opened']);
  });

  it('provisions once when the link is completed three times at once; the others get 409', async () => {
    const res = await create({ tenant_id: 'tenant-race', success_redirect_url: SUCCESS });
    const path = new URL(res.body.onboarding_url).pathname;
    const agent = request.agent(hub.app);
    const page = await start(agent, path);
    const signups = await Promise.all([sandboxSignup(hub), sandboxSignup(hub), sandboxSignup(hub)]);
    const answers = await Promise.all(
      signups.map((signup) =>
        agent
          .post(`${path}/complete`)
          .set({ 'x-csrf-token': csrfOf(page.text), accept: 'application/json' })
          .send(signup),
      ),
    );
    const outcomes = answers.map((a) =>
      a.status === 200 ? a.body.status : `${a.status} ${a.body.error.code}`,
    );
    expect(outcomes.sort()).toEqual([
      '409 onboarding_session_closed',
      '409 onboarding_session_closed',
      'completed',
    ]);
    const channels = await hub.em().count(Channel, { phoneNumberId: signups.map((s) => s.phone_number_id) });
    expect(channels).toBe(1);
  });

  it('expires a completion abandoned by a crashed process, 15 minutes after the session expiry', async () => {
    const now = hub.clock.now().getTime();
    const em = hub.em();
    const owner = await em.findOneOrFail(Partner, partner.id);
    const { session: recent } = await onboardingSessionFactory(em, owner, {
      status: 'completing',
      expiresAt: new Date(now - 10 * 60 * 1000),
    });
    const { session: abandoned } = await onboardingSessionFactory(em, owner, {
      status: 'completing',
      expiresAt: new Date(now - 16 * 60 * 1000),
    });
    await hub.em().transactional((tx) => enqueue(tx, hub.clock, 'expire_onboarding_sessions', {}));
    await hub.drainJobs();
    const after = hub.em();
    expect((await after.findOneOrFail(OnboardingSession, recent.id)).status).toBe('completing');
    expect(await after.findOneOrFail(OnboardingSession, abandoned.id)).toMatchObject({
      status: 'expired',
      failureReason: 'expired',
    });
  });
});
