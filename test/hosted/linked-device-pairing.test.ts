import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { LinkedDeviceSession } from '../../server/linked-devices/linked-device-session.entity.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { type TestHub, useTestHub } from '../support/hub.ts';

const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'https://partner.example/callback';
const VISIT = `?state=s-1&redirect_url=${encodeURIComponent(REDIRECT)}`;

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A browser-like agent signed up through the permission page of `partner`. */
async function signedUp(hub: TestHub, partner: Partner) {
  const agent = request.agent(hub.app);
  const page = await agent.get(`/permissions/${partner.id}${VISIT}`);
  const email = `owner-${Math.random().toString(36).slice(2)}@bakery.example`;
  const res = await agent
    .post(`/permissions/${partner.id}/signup${VISIT}`)
    .type('form')
    .send({ _csrf: csrfOf(page.text), state: 's-1', redirect_url: REDIRECT, email, password: PASSWORD });
  expect(res.status).toBe(303);
  const user = await hub.em().findOneOrFail(ClientUser, { email }, { populate: ['client'] });
  const grant = await agent.get(`/permissions/${partner.id}${VISIT}`);
  expect(grant.status).toBe(200);
  return { agent, client: user.client as Client, grantPage: grant.text, csrf: csrfOf(grant.text) };
}

async function newPartner(hub: TestHub) {
  const em = hub.em();
  const created = await partnerFactory(em, hub.deps, 'Acme SaaS');
  const partner = await em.findOneOrFail(Partner, created.partner.id);
  partner.allowedRedirectUrls = [REDIRECT];
  await em.flush();
  return partner;
}

describe('linking a device on the permission page (LINKED_DEVICES_ENABLED=true)', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });
  let partner: Partner;

  beforeAll(async () => {
    partner = await newPartner(hub);
  });

  /** Signed up, then "Link a device": the agent and its session. */
  async function started(fields: Record<string, string> = {}) {
    const who = await signedUp(hub, partner);
    const res = await who.agent
      .post(`/permissions/${partner.id}/linked-devices`)
      .type('form')
      .send({ _csrf: who.csrf, state: 's-1', redirect_url: REDIRECT, ...fields });
    expect(res.status).toBe(303);
    const id = /\/linked-devices\/(sess_[0-9a-z]+)\?/.exec(res.headers.location!)?.[1];
    expect(id).toBeDefined();
    const session = await hub
      .em()
      .findOneOrFail(LinkedDeviceSession, { id: id! }, { populate: ['channel', 'client'] });
    return { ...who, session, pageUrl: res.headers.location! };
  }

  async function setSession(id: string, changes: Partial<LinkedDeviceSession>) {
    const em = hub.em();
    const s = await em.findOneOrFail(LinkedDeviceSession, { id });
    Object.assign(s, changes);
    await em.flush();
  }

  it('offers "Link a device (unofficial)" beside Embedded Signup, saying plainly what it risks', async () => {
    const { grantPage } = await signedUp(hub, partner);
    expect(grantPage).toContain('Link a device (unofficial)');
    expect(grantPage).toContain('over WhatsApp Web');
    expect(grantPage).toContain(
      "It is not Meta's WhatsApp Business API, and WhatsApp can ban numbers used this way",
    );
    expect(grantPage).toContain(`action="/permissions/${partner.id}/linked-devices"`);
  });

  it('creates a session for the signed-in client and this partner, granted, and shows its pairing page', async () => {
    const { agent, client, session, pageUrl } = await started();
    expect(session.client.id).toBe(client.id);
    expect(session.partner.id).toBe(partner.id);
    expect(session.pairingPhoneNumber).toBeNull();
    expect(session.channel.connectionType).toBe('linked_device');
    expect(await hub.em().count(Permission, { partner, channel: session.channel.id, revokedAt: null })).toBe(
      1,
    );

    const page = await agent.get(pageUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain('WhatsApp can ban numbers used this way');
    expect(page.text).toContain('role="status" aria-live="polite" data-status="PENDING"');
    expect(page.text).toContain('<script src="/hosted/assets/linked-device.js"></script>');
    const csp = String(page.headers['content-security-policy']);
    // No inline script: the page's only script is the hub's own asset.
    expect(csp).toContain("script-src 'self';");
    // Continue leaves for the partner: its origin is a form target, nothing more.
    expect(csp).toMatch(/form-action 'self' https:\/\/partner\.example[;]?/);
    const js = await request(hub.app).get('/hosted/assets/linked-device.js');
    expect(js.status).toBe(200);
  });

  it('answers the QR code as a PNG, or the pairing code when a phone number was given', async () => {
    const { agent, session, pageUrl } = await started();
    const statusUrl = pageUrl.replace('?', '/status?');
    expect((await agent.get(statusUrl)).body).toMatchObject({ status: 'PENDING', qr_image: null });
    await setSession(session.id, { status: 'QR', qr: '2@abc,def,ghi', pairingExpiresAt: new Date() });
    const qr = await agent.get(statusUrl);
    expect(qr.status).toBe(200);
    expect(qr.body).toMatchObject({ status: 'QR', pairing_code: null, can_restart: false });
    expect(qr.body.qr_image).toMatch(/^data:image\/png;base64,/);
    expect(qr.body.message).toContain('Scan the QR code');
    const page = await agent.get(pageUrl);
    expect(page.text).toContain(`src="${qr.body.qr_image}"`);
    expect(page.text).toContain('alt="QR code to scan with WhatsApp on your phone"');

    const coded = await started({ phone_number: '+49 151 1234 5678' });
    expect(coded.session.pairingPhoneNumber).toBe('4915112345678');
    await setSession(coded.session.id, { status: 'QR', pairingCode: 'ABCD1234', qr: null });
    const code = await coded.agent.get(coded.pageUrl.replace('?', '/status?'));
    expect(code.body).toMatchObject({ status: 'QR', qr_image: null, pairing_code: 'ABCD1234' });
  });

  it('refuses a phone number that is not one, on the grant page, with a stable code', async () => {
    const who = await signedUp(hub, partner);
    const res = await who.agent
      .post(`/permissions/${partner.id}/linked-devices`)
      .type('form')
      .send({ _csrf: who.csrf, state: 's-1', redirect_url: REDIRECT, phone_number: 'call me' });
    expect(res.status).toBe(400);
    expect(res.headers['x-error-code']).toBe('validation_failed');
    expect(res.text).toContain('Enter the phone number with its country code');
    expect(await hub.em().count(LinkedDeviceSession, { client: who.client })).toBe(0);
  });

  it('refuses a fourth pairing at once (LINKED_DEVICE_PAIRING_PER_CLIENT, 3 by default) with a page that says why', async () => {
    const who = await signedUp(hub, partner);
    const start = () =>
      who.agent
        .post(`/permissions/${partner.id}/linked-devices`)
        .type('form')
        .send({ _csrf: who.csrf, state: 's-1', redirect_url: REDIRECT });
    for (let i = 0; i < 3; i++) expect((await start()).status).toBe(303);
    const res = await start();
    expect(res.status).toBe(409);
    expect(res.headers['x-error-code']).toBe('too_many_pairings');
    expect(res.text).toContain('pairing 3 devices already');
    expect(await hub.em().count(LinkedDeviceSession, { client: who.client })).toBe(3);
  });

  it("shows a session only to its own client: another client's, or nobody's, is not found", async () => {
    const { session, pageUrl } = await started();
    const stranger = await signedUp(hub, partner);
    for (const url of [pageUrl, pageUrl.replace('?', '/status?')]) {
      const res = await stranger.agent.get(url).set('accept', 'application/json');
      expect(res.status, url).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const done = await stranger.agent
      .post(`/permissions/${partner.id}/linked-devices/${session.id}/done`)
      .type('form')
      .send({ _csrf: stranger.csrf, redirect_url: REDIRECT });
    expect(done.status).toBe(404);
    const anonymous = await request(hub.app)
      .get(pageUrl.replace('?', '/status?'))
      .set('accept', 'application/json');
    expect(anonymous.status).toBe(401);
    // Another partner's page does not find it either.
    const other = await newPartner(hub);
    const mine = await started();
    const elsewhere = await mine.agent
      .get(`/permissions/${other.id}/linked-devices/${mine.session.id}/status`)
      .set('accept', 'application/json');
    expect(elsewhere.status).toBe(404);
    // Without the CSRF token nothing is created.
    const forged = await stranger.agent
      .post(`/permissions/${partner.id}/linked-devices`)
      .type('form')
      .send({});
    expect(forged.status).toBe(403);
  });

  it('offers a new code once the codes ran out, and restarts pairing', async () => {
    const { agent, csrf, session, pageUrl } = await started();
    const statusUrl = pageUrl.replace('?', '/status?');
    await setSession(session.id, { status: 'DISCONNECTED', statusReason: 'qr_timeout', desired: 'idle' });
    const state = await agent.get(statusUrl);
    expect(state.body).toMatchObject({ status: 'DISCONNECTED', reason: 'qr_timeout', can_restart: true });
    expect(state.body.message).toContain('Show a new code');
    const page = await agent.get(pageUrl);
    expect(page.text).toMatch(/<form method="post" action="[^"]+\/restart" id="ld-restart">/);

    const restart = `/permissions/${partner.id}/linked-devices/${session.id}/restart`;
    const res = await agent
      .post(restart)
      .type('form')
      .send({ _csrf: csrf, redirect_url: REDIRECT, state: 's-1' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(pageUrl);
    const after = await hub.em().findOneOrFail(LinkedDeviceSession, { id: session.id });
    expect(after).toMatchObject({ status: 'PENDING', desired: 'active' });
    const again = await agent.post(restart).type('form').send({ _csrf: csrf, redirect_url: REDIRECT });
    expect(again.status).toBe(409);
  });

  it('once connected, Continue goes back to the partner with the channel, 360dialog-style', async () => {
    const { agent, csrf, client, session } = await started();
    const done = `/permissions/${partner.id}/linked-devices/${session.id}/done`;
    const form = { _csrf: csrf, redirect_url: REDIRECT, state: 's-1' };
    const early = await agent.post(done).type('form').send(form);
    expect(early.status).toBe(303);
    expect(early.headers.location).toContain(`/linked-devices/${session.id}?`);

    await setSession(session.id, { status: 'CONNECTED', phoneNumber: '4915112345678' });
    const res = await agent.post(done).type('form').send(form);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(
      `${REDIRECT}?client=${client.id}&channels=[${session.channel.id}]&state=s-1`,
    );
  });
});

describe('the permission page with linked devices off (the default)', () => {
  const hub = useTestHub();

  it('offers nothing of it, and none of its routes or assets answer', async () => {
    const partner = await newPartner(hub);
    const { agent, csrf, grantPage } = await signedUp(hub, partner);
    expect(grantPage).not.toContain('Link a device');
    expect(grantPage).not.toContain('linked-devices');
    const create = await agent
      .post(`/permissions/${partner.id}/linked-devices`)
      .type('form')
      .send({ _csrf: csrf, redirect_url: REDIRECT });
    expect(create.status).toBe(404);
    expect(await hub.em().count(LinkedDeviceSession, {})).toBe(0);
    const status = await agent.get(
      `/permissions/${partner.id}/linked-devices/sess_01aaaaaaaaaaaaaaaaaaaaaaaa/status`,
    );
    expect(status.status).toBe(404);
    expect((await request(hub.app).get('/hosted/assets/linked-device.js')).status).toBe(404);
  });
});
