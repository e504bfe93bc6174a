import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignupSessionEventInputSchema } from '../../server/hosted/signup-event-input.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import { OnboardingSession } from '../../server/modules/onboarding/onboarding-session.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { ClientWaba } from '../../server/modules/signup/client-waba.entity.ts';
import {
  MAX_SIGNUP_EVENTS_PER_SUBJECT,
  recordClientSignupEvent,
} from '../../server/modules/signup/signup-events.service.ts';
import { SignupSessionEvent } from '../../server/modules/signup/signup-session-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { sandboxSignup } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const csrfOf = (html: string) =>
  /data-csrf-token="([^"]+)"/.exec(html)?.[1] ?? /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

const message = (event: string, data: object) => ({ type: 'WA_EMBEDDED_SIGNUP', event, data, version: '3' });
const FINISH = message('FINISH', { waba_id: '101', phone_number_id: '202', business_id: '303' });
const ONLY_WABA = message('FINISH_ONLY_WABA', { waba_id: '101', business_id: '303' });
const COEXISTENCE = message('FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING', {
  waba_id: '101',
  phone_number_id: '202',
});
const CANCEL = message('CANCEL', { current_step: 'PHONE_NUMBER_SETUP' });
const ERROR = message('ERROR', {
  error_message: 'Your business is not eligible',
  error_id: '524126',
  session_id: 'f34b51dab5e0498',
  timestamp: '1689150689',
});

describe('Embedded Signup session events from the hosted pages', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let token: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const em = hub.em();
    const created = await partnerFactory(em, hub.deps, 'Acme SaaS', { webhookUrl: `${receiver.url}/events` });
    token = created.token;
    partner = await em.findOneOrFail(Partner, created.partner.id);
  });
  afterAll(() => receiver.close());

  /** A session the tenant opened (pressed Start): the page with the Connect button and its CSRF token. */
  async function openedSession(tenantId = `tenant-${Math.random().toString(36).slice(2)}`) {
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/onboarding_sessions`)
      .set(bearer(token))
      .send({ tenant_id: tenantId, tenant_name: 'Sunrise Bakery' });
    expect(res.status).toBe(201);
    const path = new URL(res.body.onboarding_url).pathname;
    const agent = request.agent(hub.app);
    const landing = await agent.get(path);
    await agent
      .post(`${path}/open`)
      .type('form')
      .send({ _csrf: csrfOf(landing.text) });
    const page = await agent.get(path);
    expect(page.text).toContain(`data-events-url="${path}/signup-events"`);
    const csrf = csrfOf(page.text);
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      agent
        .post(`${path}/signup-events`)
        .set({
          'x-csrf-token': csrf,
          accept: 'application/json',
          'content-type': 'application/json',
          ...headers,
        })
        .send(JSON.stringify(body));
    return { id: res.body.id as string, path, agent, csrf, post };
  }

  const viewOf = async (id: string) =>
    (
      await request(hub.app)
        .get(`/api/v2/partners/${partner.id}/onboarding_sessions/${id}`)
        .set(bearer(token))
    ).body;

  const rowsOf = (sessionId: string) =>
    hub.em().find(SignupSessionEvent, { onboardingSession: sessionId }, { orderBy: { id: 'asc' } });

  it('stores every outcome Meta reports, with its details', async () => {
    const s = await openedSession();
    const legacyError = message('CANCEL', { error_message: 'Something went wrong', error_id: 1234 });
    for (const body of [FINISH, ONLY_WABA, COEXISTENCE, CANCEL, ERROR, legacyError]) {
      const res = await s.post(body);
      expect(res.status, JSON.stringify(body)).toBe(201);
    }
    const rows = await rowsOf(s.id);
    expect(
      rows.map((r) => [
        r.event,
        r.wabaId,
        r.phoneNumberId,
        r.currentStep,
        r.errorMessage,
        r.errorId,
        r.metaSessionId,
      ]),
    ).toEqual([
      ['FINISH', '101', '202', null, null, null, null],
      ['FINISH_ONLY_WABA', '101', null, null, null, null, null],
      ['FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING', '101', '202', null, null, null, null],
      ['CANCEL', null, null, 'PHONE_NUMBER_SETUP', null, null, null],
      ['ERROR', null, null, null, 'Your business is not eligible', '524126', 'f34b51dab5e0498'],
      // Meta's earlier versions reported errors as a CANCEL with an error message.
      ['ERROR', null, null, null, 'Something went wrong', '1234', null],
    ]);
    expect(rows.every((r) => r.partner.id === partner.id)).toBe(true);
  });

  it('marks an open session abandoned at the step, tells the partner, and a later finish clears it', async () => {
    const s = await openedSession();
    expect((await s.post(CANCEL)).body).toEqual({ recorded: true, event: 'CANCEL', abandoned: true });

    const rest = await viewOf(s.id);
    expect(rest).toMatchObject({
      status: 'opened',
      abandoned_at: hub.clock.now().toISOString(),
      last_signup_event: {
        event: 'CANCEL',
        current_step: 'PHONE_NUMBER_SETUP',
        error_message: null,
        recorded_at: hub.clock.now().toISOString(),
      },
    });
    const viaTrpc = await hub.trpc(token).onboarding.get({ session_id: s.id });
    expect(viaTrpc.abandoned_at).toBe(rest.abandoned_at);
    expect(viaTrpc.last_signup_event).toEqual(rest.last_signup_event);

    await hub.drainJobs();
    const delivered = () =>
      receiver.requests
        .map((r) => JSON.parse(r.rawBody))
        .filter((e) => e.type === 'onboarding_session.abandoned' && e.data.session_id === s.id);
    await expect.poll(() => delivered().length, { timeout: 5000 }).toBe(1);
    expect(delivered()[0].data).toEqual({
      session_id: s.id,
      tenant_id: rest.tenant_id,
      metadata: null,
      event: 'CANCEL',
      current_step: 'PHONE_NUMBER_SETUP',
      error_message: null,
      error_id: null,
    });

    // The tenant tries again and hits an error: still abandoned, with the error.
    expect((await s.post(ERROR)).body.abandoned).toBe(true);
    expect((await viewOf(s.id)).last_signup_event).toMatchObject({
      event: 'ERROR',
      error_message: 'Your business is not eligible',
      error_id: '524126',
    });

    // …and then finishes: no longer abandoned, and the session completes.
    const signup = await sandboxSignup(hub);
    await s.post(message('FINISH', { waba_id: signup.waba_id, phone_number_id: signup.phone_number_id }));
    expect(await viewOf(s.id)).toMatchObject({ abandoned_at: null, last_signup_event: { event: 'FINISH' } });
    const done = await s.agent
      .post(`${s.path}/complete`)
      .set({ 'x-csrf-token': s.csrf, accept: 'application/json' })
      .send(signup);
    expect(done.body.status).toBe('completed');
    // An outcome reported after completion is stored, and changes nothing on the session.
    expect((await s.post(CANCEL)).body.abandoned).toBe(false);
    expect(await viewOf(s.id)).toMatchObject({ status: 'completed', abandoned_at: null });
    expect((await rowsOf(s.id)).map((r) => r.event)).toEqual(['CANCEL', 'ERROR', 'FINISH', 'CANCEL']);
  });

  it('refuses posts without the page CSRF token, for unknown links, and from other sessions', async () => {
    const a = await openedSession();
    const b = await openedSession();
    const noToken = await a.agent
      .post(`${a.path}/signup-events`)
      .set({ accept: 'application/json' })
      .send(CANCEL);
    expect([noToken.status, noToken.body.error.code]).toEqual([403, 'invalid_csrf_token']);
    // A fresh browser without the page's cookie cannot reuse a token it saw.
    const stranger = await request(hub.app)
      .post(`${a.path}/signup-events`)
      .set({ 'x-csrf-token': a.csrf, accept: 'application/json' })
      .send(CANCEL);
    expect([stranger.status, stranger.body.error.code]).toEqual([403, 'invalid_csrf_token']);
    // The link is the tenant's credential: a made-up one names no session.
    const unknown = await a.agent
      .post('/onboard/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/signup-events')
      .set({ 'x-csrf-token': a.csrf, accept: 'application/json' })
      .send(CANCEL);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    expect(await rowsOf(a.id)).toEqual([]);
    // b's own post lands on b only.
    expect((await b.post(CANCEL)).status).toBe(201);
    expect(await rowsOf(a.id)).toEqual([]);
    expect(await rowsOf(b.id)).toHaveLength(1);
    expect((await viewOf(a.id)).abandoned_at).toBeNull();
  });

  it('validates strictly, with stable codes, and limits the size and the content type', async () => {
    const s = await openedSession();
    for (const body of [
      {},
      { ...CANCEL, type: 'SOMETHING_ELSE' },
      { ...CANCEL, event: 'CANCELLED' },
      { ...CANCEL, extra: 1 },
      message('CANCEL', { current_step: 'phone number setup' }),
      message('CANCEL', {}),
      message('FINISH', { waba_id: '101' }),
      message('FINISH', { waba_id: 'abc', phone_number_id: '202' }),
      message('ERROR', { error_message: '' }),
      message('ERROR', { error_message: 'x'.repeat(501) }),
      message('ERROR', { error_message: 'a\u0000b' }),
      message('ERROR', { error_message: 'ok', error_id: '<script>' }),
      [CANCEL],
    ]) {
      const res = await s.post(body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
    }
    for (const body of ['CANCEL', null]) {
      const res = await s.post(body);
      expect([res.status, res.body.error.code]).toEqual([400, 'invalid_json']);
    }
    const big = await s.post(message('ERROR', { error_message: 'ok', padding: 'x'.repeat(5000) }));
    expect([big.status, big.body.error.code]).toEqual([413, 'payload_too_large']);
    const form = await s.agent
      .post(`${s.path}/signup-events`)
      .set({ 'x-csrf-token': s.csrf, accept: 'application/json' })
      .type('form')
      .send({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL' });
    expect([form.status, form.body.error.code]).toEqual([415, 'unsupported_media_type']);
    expect(await rowsOf(s.id)).toEqual([]);
    // Unknown `data` fields Meta may add are dropped, not refused.
    expect((await s.post(message('CANCEL', { current_step: 'WABA_SETUP', new_field: 1 }))).status).toBe(201);
  });

  it('survives 10,000 hostile payloads: never a 500, nothing stored when invalid', async () => {
    const s = await openedSession();
    const nasty = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('', '\u0000', '\ud800', '__proto__', 'constructor', '9'.repeat(40), 'x'.repeat(600)),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.boolean(),
    );
    const nearlyValid = fc.record(
      {
        type: fc.oneof(fc.constant('WA_EMBEDDED_SIGNUP'), nasty),
        event: fc.oneof(
          fc.constantFrom(
            'FINISH',
            'FINISH_ONLY_WABA',
            'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING',
            'CANCEL',
            'ERROR',
          ),
          nasty,
        ),
        version: fc.oneof(fc.constant('3'), nasty),
        data: fc.oneof(
          fc.dictionary(
            fc.constantFrom(
              'waba_id',
              'phone_number_id',
              'business_id',
              'current_step',
              'error_message',
              'error_id',
              'session_id',
              '__proto__',
            ),
            nasty,
          ),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    const samples = fc.sample(fc.oneof(nearlyValid, fc.anything(), fc.jsonValue()), {
      numRuns: 10_000,
      seed: 16,
    });
    // The route's own parser decides what is stored; every sample goes through it.
    // The parser never throws, whatever it is given.
    const valid = samples.filter((b) => SignupSessionEventInputSchema.safeParse(b).success);
    // A bounded share goes over HTTP too (the rest would only spend the address's budget).
    const overHttp = [
      ...samples.filter((b) => !SignupSessionEventInputSchema.safeParse(b).success).slice(0, 400),
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < overHttp.length; i += 20) {
      const batch = await Promise.all(
        overHttp
          .slice(i, i + 20)
          .map((body) =>
            s.agent
              .post(`${s.path}/signup-events`)
              .set({ 'x-csrf-token': s.csrf, accept: 'application/json', 'content-type': 'application/json' })
              .send(JSON.stringify(body)),
          ),
      );
      for (const res of batch) statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect(
      [...statuses.keys()].every((status) => status === 400 || status === 413),
      JSON.stringify([...statuses]),
    ).toBe(true);
    expect(await rowsOf(s.id)).toEqual([]);
    // Whatever passed the parser is a documented message, and is stored as such.
    expect(valid.length).toBeGreaterThan(0);
    for (const body of valid.slice(0, 20)) {
      const res = await s.post(body);
      expect(res.status, JSON.stringify(body)).toBe(201);
    }
    expect(await rowsOf(s.id)).toHaveLength(Math.min(valid.length, 20));
  });

  it('FINISH_ONLY_WABA: keeps the client and a pending WABA, the session open; a later finish completes it', async () => {
    const s = await openedSession('tenant-waba-only');
    const signup = await fetch(`${hub.url}/sandbox/embedded-signup/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ business_name: 'Sunrise Bakery', without_phone_number: true }),
    }).then((r) => r.json() as Promise<{ code: string; waba_id: string; business_id: string }>);
    expect(signup).not.toHaveProperty('phone_number_id');
    await s.post(message('FINISH_ONLY_WABA', { waba_id: signup.waba_id, business_id: signup.business_id }));
    const pending = await s.agent
      .post(`${s.path}/complete`)
      .set({ 'x-csrf-token': s.csrf, accept: 'application/json' })
      .send(signup);
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ status: 'waba_pending', waba_id: signup.waba_id });

    const view = await viewOf(s.id);
    expect(view).toMatchObject({
      status: 'opened',
      channel_id: null,
      abandoned_at: null,
      last_signup_event: { event: 'FINISH_ONLY_WABA', waba_id: signup.waba_id, phone_number_id: null },
    });
    const client = await hub.em().findOneOrFail(Client, view.client_id);
    expect(client.externalId).toBe('tenant-waba-only');
    const waba = await hub
      .em()
      .findOneOrFail(ClientWaba, { wabaId: signup.waba_id }, { populate: ['client'] });
    expect([waba.status, waba.client.id, waba.businessId]).toEqual([
      'pending',
      client.id,
      signup.business_id,
    ]);
    expect(await hub.em().count(Channel, { wabaId: signup.waba_id })).toBe(0);
    // The code was spent on Meta's side, as a real exchange does.
    const again = await s.agent
      .post(`${s.path}/complete`)
      .set({ 'x-csrf-token': s.csrf, accept: 'application/json' })
      .send(signup);
    expect([again.status, again.body.error.code]).toEqual([502, 'meta_error']);

    // The tenant connects again with a number: the same link completes, for the same client.
    const withNumber = await sandboxSignup(hub);
    const done = await s.agent
      .post(`${s.path}/complete`)
      .set({ 'x-csrf-token': s.csrf, accept: 'application/json' })
      .send(withNumber);
    expect(done.body.status).toBe('completed');
    expect(await viewOf(s.id)).toMatchObject({ status: 'completed', client_id: client.id });
  });

  it('a WABA recorded without a number becomes connected when a number of it is provisioned', async () => {
    const em = hub.em();
    const signup = await sandboxSignup(hub);
    const s = await openedSession('tenant-later-number');
    // As if FINISH_ONLY_WABA had recorded this WABA for the tenant's client first.
    const sessionRow = await em.findOneOrFail(OnboardingSession, s.id);
    const tenant = em.create(Client, {
      partner,
      name: 'Sunrise Bakery',
      externalId: sessionRow.tenantId,
    });
    em.create(ClientWaba, { client: tenant, wabaId: signup.waba_id });
    await em.flush();
    const done = await s.agent
      .post(`${s.path}/complete`)
      .set({ 'x-csrf-token': s.csrf, accept: 'application/json' })
      .send(signup);
    expect(done.body.status).toBe('completed');
    expect((await hub.em().findOneOrFail(ClientWaba, { wabaId: signup.waba_id })).status).toBe('connected');
  });

  it('records outcomes on the /permissions page against the logged-in client only', async () => {
    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${partner.id}`);
    const email = `owner-${Math.random().toString(36).slice(2)}@bakery.example`;
    const signedUp = await agent
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        email,
        password: 'correct horse battery staple',
        business_name: 'Bakery',
      });
    expect(signedUp.status).toBe(303);
    const grant = await agent.get(`/permissions/${partner.id}`);
    expect(grant.text).toContain(`data-events-url="/permissions/${partner.id}/signup-events"`);
    const csrf = csrfOf(grant.text);
    const res = await agent
      .post(`/permissions/${partner.id}/signup-events`)
      .set({ 'x-csrf-token': csrf, accept: 'application/json' })
      .send(CANCEL);
    expect([res.status, res.body]).toEqual([201, { recorded: true, event: 'CANCEL' }]);
    const user = await hub.em().findOneOrFail(ClientUser, { email });
    const rows = await hub.em().find(SignupSessionEvent, { client: user.client.id });
    expect(rows.map((r) => [r.event, r.currentStep, r.onboardingSession])).toEqual([
      ['CANCEL', 'PHONE_NUMBER_SETUP', null],
    ]);

    // Anonymous visitors have no client to record against.
    const anonymous = request.agent(hub.app);
    const anonPage = await anonymous.get(`/permissions/${partner.id}`);
    const refused = await anonymous
      .post(`/permissions/${partner.id}/signup-events`)
      .set({ 'x-csrf-token': csrfOf(anonPage.text), accept: 'application/json' })
      .send(CANCEL);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it('keeps the newest 50 outcomes of a client', async () => {
    const em = hub.em();
    const client = em.create(Client, { partner, name: 'Chatty Bakery' });
    await em.flush();
    for (let i = 0; i < 53; i++) {
      const step = `STEP_${String(i).padStart(2, '0')}`;
      await recordClientSignupEvent(hub.em(), hub.clock, partner, client, {
        ...SignupSessionEventInputSchema.parse(message('CANCEL', { current_step: step })),
      });
    }
    const rows = await hub.em().find(SignupSessionEvent, { client: client.id }, { orderBy: { id: 'asc' } });
    expect(rows).toHaveLength(MAX_SIGNUP_EVENTS_PER_SUBJECT);
    expect([rows[0]!.currentStep, rows.at(-1)!.currentStep]).toEqual(['STEP_03', 'STEP_52']);
  });

  it('limits reports per address, with rate_limited and Retry-After', async () => {
    const s = await openedSession();
    let refused: request.Response | undefined;
    for (let i = 0; i < 61 && !refused; i++) {
      const res = await s.post(CANCEL);
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(201);
    }
    expect(refused?.body.error.code).toBe('rate_limited');
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
  });
});
