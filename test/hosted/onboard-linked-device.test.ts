import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { playOnDevice } from '../../server/linked-devices/linked-device-actions.service.ts';
import { LinkedDeviceSession } from '../../server/linked-devices/linked-device-session.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { OnboardingSession } from '../../server/modules/onboarding/onboarding-session.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { onboardingSessionFactory, partnerFactory } from '../support/factories.ts';
import { type TestHub, useTestHub } from '../support/hub.ts';
import { startTestRunner, waitForSession } from '../support/linked-devices.ts';
import { csrfOf } from '../support/onboarding.ts';

/** An onboarding link, opened (Start pressed) by a browser-like agent. */
async function startedLink(hub: TestHub) {
  const em = hub.em();
  const { partner } = await partnerFactory(em, hub.deps);
  const { session, urlToken } = await onboardingSessionFactory(em, partner, { tenantName: 'Sunrise Bakery' });
  const path = `/onboard/${urlToken}`;
  const agent = request.agent(hub.app);
  const landing = await agent.get(path);
  const open = await agent
    .post(`${path}/open`)
    .type('form')
    .send({ _csrf: csrfOf(landing.text) });
  expect(open.status).toBe(303);
  const page = await agent.get(path);
  expect(page.status).toBe(200);
  return { agent, path, session, landing: landing.text, page: page.text, csrf: csrfOf(page.text) };
}

/** How many `onboarding_session.completed` events the session has. */
async function completedEvents(hub: TestHub, sessionId: string): Promise<number> {
  const [row] = await query<{ n: number }>(
    hub.em(),
    `select count(*)::int n from webhook_events where type = 'onboarding_session.completed' and body like ?`,
    [`%${sessionId}%`],
  );
  return row!.n;
}

describe('linking a device in an onboarding session (LINKED_DEVICES_ENABLED=true)', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });

  it('offers it only once started, with the risk said first', async () => {
    const { landing, page, path } = await startedLink(hub);
    expect(landing).not.toContain('Link a device');
    expect(page).toContain('Link a device (unofficial)');
    expect(page).toContain('WhatsApp can ban numbers used this way');
    expect(page).toContain(`action="${path}/linked-device"`);
  });

  it('pairs, then completes like Embedded Signup: completed event with linked_device, the grant with the tenant, the success redirect', async () => {
    const { agent, path, session, csrf } = await startedLink(hub);
    const start = await agent.post(`${path}/linked-device`).type('form').send({ _csrf: csrf });
    expect(start.status).toBe(303);
    expect(start.headers.location).toBe(`${path}/linked-device`);
    const onboarding = await hub
      .em()
      .findOneOrFail(OnboardingSession, session.id, { populate: ['channel', 'client'] });
    expect(onboarding.status).toBe('opened');
    expect(onboarding.client!.externalId).toBe(session.tenantId);
    const linked = await hub
      .em()
      .findOneOrFail(LinkedDeviceSession, { channel: onboarding.channel!.id }, { populate: ['channel'] });
    expect(linked.name).toBe('Sunrise Bakery');

    const page = await agent.get(`${path}/linked-device`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Unofficial connection.');
    expect((await agent.get(`${path}/linked-device/status`)).body).toMatchObject({ status: 'PENDING' });
    // Choosing again does not make a second device.
    await agent.post(`${path}/linked-device`).type('form').send({ _csrf: csrf });
    expect(await hub.em().count(LinkedDeviceSession, { client: onboarding.client!.id })).toBe(1);

    const done = `${path}/linked-device/done`;
    const early = await agent.post(done).type('form').send({ _csrf: csrf });
    expect(early.status).toBe(303);
    expect(early.headers.location).toBe(`${path}/linked-device`);

    const em = hub.em();
    const row = await em.findOneOrFail(LinkedDeviceSession, linked.id, { populate: ['channel'] });
    row.status = 'CONNECTED';
    row.phoneNumber = '4915112345678';
    row.channel.phoneNumber = '4915112345678';
    row.channel.status = 'live';
    await em.flush();

    const res = await agent.post(done).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    const landed = new URL(res.headers.location!);
    expect(landed.origin + landed.pathname).toBe('https://partner.example/onboarding/success');
    expect(Object.fromEntries(landed.searchParams)).toMatchObject({
      session_id: session.id,
      tenant_id: session.tenantId,
      status: 'completed',
      channel_id: linked.channel.id,
      client_id: onboarding.client!.id,
    });
    const finished = await hub.em().findOneOrFail(OnboardingSession, session.id);
    expect(finished.status).toBe('completed');
    const [event] = await query<{ body: string }>(
      hub.em(),
      `select body from webhook_events where type = 'onboarding_session.completed' and body like ?`,
      [`%${session.id}%`],
    );
    expect(JSON.parse(event!.body).data).toMatchObject({
      session_id: session.id,
      channel_id: linked.channel.id,
      phone_number_id: linked.id,
      phone_number: '4915112345678',
      connection_type: 'linked_device',
    });
    const grant = await hub.em().findOneOrFail(Permission, { channel: linked.channel.id, revokedAt: null });
    expect(grant.tenantId).toBe(session.tenantId);
    expect((await hub.em().findOneOrFail(Channel, linked.channel.id)).connectionType).toBe('linked_device');

    // A second post (Continue pressed after the page's own), or reopening the page, lands on the
    // same page; the link is spent for anything else.
    const again = await agent.post(done).type('form').send({ _csrf: csrf });
    expect(again.headers.location).toBe(res.headers.location);
    expect((await agent.get(`${path}/linked-device`)).headers.location).toBe(res.headers.location);
    expect(await completedEvents(hub, session.id)).toBe(1);
    expect((await agent.get(path)).status).toBe(410);
  });

  it('completes when the phone pairs, with no page posting Continue; the page then lands on the success redirect', async () => {
    const { agent, path, session, csrf } = await startedLink(hub);
    await agent.post(`${path}/linked-device`).type('form').send({ _csrf: csrf });
    const onboarding = await hub.em().findOneOrFail(OnboardingSession, session.id, { populate: ['channel'] });
    const linked = await hub.em().findOneOrFail(LinkedDeviceSession, { channel: onboarding.channel!.id });
    const runner = startTestRunner(hub);
    try {
      const qr = await waitForSession(hub, linked.id, 'QR', (s) => !!s.qr);
      // The tenant scans and closes the tab: nothing posts /done.
      await playOnDevice(hub.deps, qr, { play: 'scan', phone_number: '4915177777777', name: 'Sunrise' });
      await waitForSession(hub, linked.id, 'CONNECTED');
    } finally {
      await runner.stop();
    }
    // Written with CONNECTED, in the same transaction: no moment shows one without the other.
    const finished = await hub.em().findOneOrFail(OnboardingSession, session.id, { refresh: true });
    expect(finished.status).toBe('completed');
    const completed = await query<{ body: string }>(
      hub.em(),
      `select body from webhook_events where type = 'onboarding_session.completed' and body like ?`,
      [`%${session.id}%`],
    );
    expect(completed).toHaveLength(1);
    expect(JSON.parse(completed[0]!.body).data).toMatchObject({
      channel_id: linked.channel.id,
      phone_number: '4915177777777',
      connection_type: 'linked_device',
    });
    const grant = await hub.em().findOneOrFail(Permission, { channel: linked.channel.id, revokedAt: null });
    expect(grant.tenantId).toBe(session.tenantId);

    // Reopened (or still open and polling): the page and its Continue land on the success URL.
    const reloaded = await agent.get(`${path}/linked-device`);
    expect(reloaded.status).toBe(303);
    const landed = new URL(reloaded.headers.location!);
    expect(landed.origin + landed.pathname).toBe('https://partner.example/onboarding/success');
    expect(landed.searchParams.get('status')).toBe('completed');
    const done = await agent.post(`${path}/linked-device/done`).type('form').send({ _csrf: csrf });
    expect(done.headers.location).toBe(reloaded.headers.location);
    expect(await completedEvents(hub, session.id)).toBe(1);
  });

  it('a completion that fails on pairing is undone alone: the device is CONNECTED, the session still open', async () => {
    const { agent, path, session, csrf } = await startedLink(hub);
    await agent.post(`${path}/linked-device`).type('form').send({ _csrf: csrf });
    const onboarding = await hub.em().findOneOrFail(OnboardingSession, session.id, { populate: ['channel'] });
    const linked = await hub.em().findOneOrFail(LinkedDeviceSession, { channel: onboarding.channel!.id });
    // The completion's last write fails (after it marked the session completed in memory).
    await query(
      hub.em(),
      `create function refuse_completed() returns trigger language plpgsql as $$
       begin
         if new.type = 'onboarding_session.completed' and new.body like '%${session.id}%' then
           raise exception 'injected failure';
         end if;
         return new;
       end $$`,
      [],
    );
    await query(
      hub.em(),
      `create trigger refuse_completed before insert on webhook_events for each row execute function refuse_completed()`,
      [],
    );
    const runner = startTestRunner(hub);
    try {
      const qr = await waitForSession(hub, linked.id, 'QR', (s) => !!s.qr);
      await playOnDevice(hub.deps, qr, { play: 'scan', phone_number: '4915155555555' });
      await waitForSession(hub, linked.id, 'CONNECTED');
    } finally {
      await runner.stop();
      await query(hub.em(), 'drop trigger refuse_completed on webhook_events', []);
      await query(hub.em(), 'drop function refuse_completed()', []);
    }
    expect((await hub.em().findOneOrFail(OnboardingSession, session.id)).status).toBe('opened');
    expect(await completedEvents(hub, session.id)).toBe(0);
    // The page's Continue completes it as before.
    const done = await agent.post(`${path}/linked-device/done`).type('form').send({ _csrf: csrf });
    expect(new URL(done.headers.location!).searchParams.get('status')).toBe('completed');
    expect(await completedEvents(hub, session.id)).toBe(1);
  });

  it('answers nothing for a link that is not linking a device, nor for a link never started', async () => {
    const { agent, path } = await startedLink(hub);
    const status = await agent.get(`${path}/linked-device/status`).set('accept', 'application/json');
    expect(status.status).toBe(404);
    expect(status.body.error.code).toBe('not_found');

    const em = hub.em();
    const { partner } = await partnerFactory(em, hub.deps);
    const { urlToken } = await onboardingSessionFactory(em, partner);
    const fresh = request.agent(hub.app);
    const landing = await fresh.get(`/onboard/${urlToken}`);
    const start = await fresh
      .post(`/onboard/${urlToken}/linked-device`)
      .type('form')
      .send({ _csrf: csrfOf(landing.text) });
    expect(start.status).toBe(409);
    expect(start.headers['x-error-code']).toBe('onboarding_session_closed');
  });
});

describe('onboarding sessions with linked devices off (the default)', () => {
  const hub = useTestHub();

  it('offers nothing of it, and its routes do not answer', async () => {
    const { agent, path, page, csrf } = await startedLink(hub);
    expect(page).not.toContain('Link a device');
    const start = await agent.post(`${path}/linked-device`).type('form').send({ _csrf: csrf });
    expect(start.status).toBe(404);
    expect((await agent.get(`${path}/linked-device/status`)).status).toBe(404);
    expect(await hub.em().count(LinkedDeviceSession, {})).toBe(0);
  });
});
