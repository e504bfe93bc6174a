import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { channelFactory, partnerFactory, permissionFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const PASSWORD = 'correct horse battery staple';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('client hub /hub and adding numbers from the permission page', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let rival: Partner;

  beforeAll(async () => {
    partner = (await partnerFactory(hub.em(), hub.deps, 'Acme SaaS')).partner;
    rival = (await partnerFactory(hub.em(), hub.deps, 'Rival SaaS')).partner;
  });

  async function signedUpAgent() {
    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${partner.id}`);
    const email = `hub-${Math.random().toString(36).slice(2)}@bakery.example`;
    await agent
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), email, password: PASSWORD, business_name: 'Sunrise Bakery' });
    const user = await hub.em().findOneOrFail(ClientUser, { email }, { populate: ['client'] });
    return { agent, email, client: user.client };
  }

  it('logs in, regenerating the session, and shows channels with the partners holding them', async () => {
    const { email, client } = await signedUpAgent();
    const channel = await channelFactory(hub.em(), client, { phoneNumber: '15550007777' });
    await permissionFactory(hub.em(), await hub.em().findOneOrFail(Partner, partner.id), channel);

    const agent = request.agent(hub.app);
    const login = await agent.get('/hub');
    expect(login.text).toContain('Log in');
    const before = login.headers['set-cookie']?.[0]?.split(';')[0];
    const res = await agent
      .post('/hub/login')
      .type('form')
      .send({ _csrf: csrfOf(login.text), email, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers['set-cookie']?.[0]?.split(';')[0]).not.toBe(before);
    const page = await agent.get('/hub');
    expect(page.text).toContain('+15550007777');
    expect(page.text).toContain('Acme SaaS has access');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");

    const wrong = await request(hub.app).get('/hub');
    const denied = await request(hub.app)
      .post('/hub/login')
      .set('Cookie', String(wrong.headers['set-cookie']?.[0]?.split(';')[0] ?? ''))
      .type('form')
      .send({ _csrf: csrfOf(wrong.text), email, password: 'not the password' });
    expect(denied.status).toBe(401);
  });

  it('revokes and grants with the same service and events, and only for the client’s own channels', async () => {
    const { agent, client } = await signedUpAgent();
    const channel = await channelFactory(hub.em(), client);
    await permissionFactory(hub.em(), await hub.em().findOneOrFail(Partner, partner.id), channel);
    let page = await agent.get('/hub');
    const revoke = await agent
      .post('/hub/access')
      .type('form')
      .send({ _csrf: csrfOf(page.text), channel_id: channel.id, partner_id: partner.id, action: 'revoke' });
    expect(revoke.status).toBe(303);
    expect(
      await hub.em().count(Permission, { channel: channel.id, partner: partner.id, revokedAt: null }),
    ).toBe(0);
    page = await agent.get('/hub');
    expect(page.text).toContain('Grant Acme SaaS');
    await agent
      .post('/hub/access')
      .type('form')
      .send({ _csrf: csrfOf(page.text), channel_id: channel.id, partner_id: partner.id, action: 'grant' });
    expect(
      await hub.em().count(Permission, { channel: channel.id, partner: partner.id, revokedAt: null }),
    ).toBe(1);
    const types = (
      await hub.em().find(WebhookEvent, { channel: channel.id }, { orderBy: { id: 'asc' } })
    ).map((e) => e.type);
    expect(types).toEqual(['permission.revoked', 'permission.granted']);

    // A partner that never had anything to do with this business cannot be granted from here.
    const refused = await agent
      .post('/hub/access')
      .type('form')
      .send({ _csrf: csrfOf(page.text), channel_id: channel.id, partner_id: rival.id, action: 'grant' });
    expect(refused.status).toBe(404);
    const other = await signedUpAgent();
    const foreign = await channelFactory(hub.em(), other.client);
    const notMine = await agent
      .post('/hub/access')
      .type('form')
      .send({ _csrf: csrfOf(page.text), channel_id: foreign.id, partner_id: partner.id, action: 'grant' });
    expect(notMine.status).toBe(404);
    const noCsrf = await agent
      .post('/hub/access')
      .type('form')
      .send({ channel_id: channel.id, partner_id: partner.id, action: 'revoke' });
    expect(noCsrf.status).toBe(403);
  });

  it('adds a number from Embedded Signup results, answering JSON errors to the page script', async () => {
    const { agent } = await signedUpAgent();
    const page = await agent.get(`/permissions/${partner.id}`);
    const token = csrfOf(page.text);
    const signup = await fetch(`${hub.url}/sandbox/embedded-signup/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        business_name: 'Sunrise Bakery',
        display_name: 'Sunrise Bakery',
        phone_number: '+15550109999',
      }),
    }).then((r) => r.json() as Promise<{ code: string; waba_id: string; phone_number_id: string }>);
    const malformed = await agent
      .post(`/permissions/${partner.id}/channels`)
      .set({ 'x-csrf-token': token, accept: 'application/json' })
      .send({ code: 'x', waba_id: 'not-digits', phone_number_id: '1' });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'validation_failed']);
    const bad = await agent
      .post(`/permissions/${partner.id}/channels`)
      .set({ 'x-csrf-token': token, accept: 'application/json' })
      .send({ ...signup, code: 'nope' });
    expect([bad.status, bad.body.error.code]).toEqual([502, 'meta_error']);
    const ok = await agent
      .post(`/permissions/${partner.id}/channels`)
      .set({ 'x-csrf-token': token, accept: 'application/json' })
      .send(signup);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ phone_number: '15550109999', status: 'live' });
    // The page script comes back with the number it added and the hub's signature for it.
    const shown = await agent.get(
      `/permissions/${partner.id}?added=${ok.body.channel_id}&added_sig=${ok.body.added_sig}`,
    );
    expect(shown.text).toMatch(new RegExp(`value="${ok.body.channel_id}" checked`));
    const anonymous = await request(hub.app)
      .post(`/permissions/${partner.id}/channels`)
      .set('accept', 'application/json')
      .send(signup);
    expect(anonymous.status).toBe(403);
  });
});
