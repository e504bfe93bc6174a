import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasValidSignature, signPermissionsParams } from '../../server/hosted/permissions-params.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { channelApiKeyFactory, channelFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { dataOf } from '../support/webhooks.ts';

const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'https://partner.example/callback';
const OTHER_ALLOWED = 'https://partner.example/other';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

const unescapeHtml = (v: string) =>
  v
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The hidden fields of the page's forms, as a browser submits them. */
const hiddenFields = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1]!,
      unescapeHtml(m[2]!),
    ]),
  );

describe('hosted /permissions page', () => {
  const hub = useTestHub();
  let partner: Partner;
  let webhookSecret: string;

  beforeAll(async () => {
    const em = hub.em();
    const created = await partnerFactory(em, hub.deps, 'Acme SaaS');
    webhookSecret = created.webhookSecret;
    partner = await em.findOneOrFail(Partner, created.partner.id);
    partner.brandName = 'Acme Messaging';
    partner.logoUrl = 'https://cdn.acme.example/logo.png';
    partner.allowedRedirectUrls = [REDIRECT, OTHER_ALLOWED];
    await em.flush();
  });

  /** A browser-like agent that signed up through the page; returns it with its client. */
  async function signedUp(query = '') {
    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${partner.id}${query}`);
    const email = `owner-${Math.random().toString(36).slice(2)}@bakery.example`;
    const res = await agent
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({
        ...hiddenFields(page.text),
        email,
        password: PASSWORD,
        name: 'Ana',
        business_name: 'Sunrise Bakery',
      });
    expect(res.status).toBe(303);
    const user = await hub.em().findOneOrFail(ClientUser, { email }, { populate: ['client'] });
    return { agent, email, client: user.client as Client };
  }

  it('answers 404 for an unknown partner, on every path', async () => {
    for (const path of [
      '/permissions/ptn_nope',
      '/permissions/ptn_01aaaaaaaaaaaaaaaaaaaaaaaa',
      '/dashboard/app/ptn_nope',
    ]) {
      const res = await request(hub.app).get(path);
      expect(res.status, path).toBe(404);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('Page not found');
    }
  });

  it('refuses a redirect_url that is not on the allowlist, without redirecting', async () => {
    const res = await request(hub.app).get(
      `/permissions/${partner.id}?redirect_url=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('has not registered');
  });

  it('serves the signup form, prefilled, on 360dialog’s paths too, with popup-friendly headers', async () => {
    for (const path of [
      `/permissions/${partner.id}`,
      `/dashboard/app/${partner.id}`,
      `/dashboard/app/${partner.id}/permissions`,
    ]) {
      const res = await request(hub.app).get(`${path}?email=ana%40bakery.example&name=Ana`);
      expect(res.status, path).toBe(200);
      expect(res.text).toContain('Create account');
      expect(res.text).toContain('value="ana@bakery.example"');
      expect(res.text).toContain('Acme Messaging');
      expect(res.text).toContain('<img src="https://cdn.acme.example/logo.png"');
      expect(res.headers['cross-origin-opener-policy']).toBe('unsafe-none');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    const login = await request(hub.app).get(`/permissions/${partner.id}?next=login`);
    expect(login.text).toContain('Log in to continue');
  });

  it('refuses a form without its CSRF token', async () => {
    const res = await request(hub.app)
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({ email: 'x@bakery.example', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.headers['x-error-code']).toBe('invalid_csrf_token');
    expect(await hub.em().count(ClientUser, { email: 'x@bakery.example' })).toBe(0);
  });

  it('signs up a client under the partner, with client.created and partner_payload', async () => {
    const { client } = await signedUp('?partner=crm-42');
    expect(client.partner.id).toBe(partner.id);
    expect(client.partnerPayload).toBe('crm-42');
    const events = await hub.em().find(WebhookEvent, { partner: partner.id, type: 'client.created' });
    expect(events.map(dataOf).filter((d) => d.client_id === client.id)).toEqual([
      expect.objectContaining({ partner_payload: 'crm-42' }),
    ]);
  });

  it('logs in with the right password only, and throttles repeated attempts', async () => {
    const { email } = await signedUp();
    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${partner.id}?next=login`);
    const wrong = await agent
      .post(`/permissions/${partner.id}/login`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), email, password: 'wrong password!!' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong email or password.');
    const right = await agent
      .post(`/permissions/${partner.id}/login`)
      .type('form')
      .send({ _csrf: csrfOf(wrong.text), email, password: PASSWORD });
    expect(right.status).toBe(303);
    expect((await agent.get(`/permissions/${partner.id}`)).text).toContain('Choose the numbers');

    const attacker = request.agent(hub.app);
    let last = await attacker.get(`/permissions/${partner.id}?next=login`);
    const statuses: number[] = [];
    for (let i = 0; i < 12 && last.status !== 429; i++) {
      last = await attacker
        .post(`/permissions/${partner.id}/login`)
        .type('form')
        .send({ _csrf: csrfOf(last.text), email, password: `guess-${i}-guess-guess` });
      statuses.push(last.status);
    }
    // 10 attempts per email and address in 15 minutes; two were spent above.
    expect(statuses).toEqual([...Array(8).fill(401), 429]);
    expect(last.headers['retry-after']).toBeDefined();
  });

  it('grants, redirects with 360dialog’s format, and a second visit revokes with revoked=[…]', async () => {
    const { agent, client } = await signedUp();
    const em = hub.em();
    const a = await channelFactory(em, client, { phoneNumber: '15550001111' });
    const b = await channelFactory(em, client, { phoneNumber: '15550002222' });
    const page = await agent.get(
      `/permissions/${partner.id}?state=xyz%201&redirect_url=${encodeURIComponent(OTHER_ALLOWED)}`,
    );
    expect(page.text).toContain('+15550001111');
    expect(page.headers['content-security-policy']).toContain("form-action 'self' https://partner.example");
    const first = await agent
      .post(`/permissions/${partner.id}/confirm`)
      .type('form')
      .send(
        `_csrf=${csrfOf(page.text)}&state=xyz%201&redirect_url=${encodeURIComponent(OTHER_ALLOWED)}&channels=${a.id}&channels=${b.id}`,
      );
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(
      `${OTHER_ALLOWED}?client=${client.id}&channels=[${a.id},${b.id}]&state=xyz%201`,
    );
    expect(
      await hub.em().count(Permission, { partner: partner.id, client: client.id, revokedAt: null }),
    ).toBe(2);

    const again = await agent.get(`/permissions/${partner.id}`);
    expect(again.text.match(/checked/g)).toHaveLength(2);
    const second = await agent
      .post(`/permissions/${partner.id}/confirm`)
      .type('form')
      .send(`_csrf=${csrfOf(again.text)}&channels=${a.id}`);
    // No redirect_url: the partner's partner_redirect_url.
    expect(second.headers.location).toBe(
      `${REDIRECT}?client=${client.id}&channels=[${a.id}]&revoked=[${b.id}]`,
    );
    const events = await hub
      .em()
      .find(WebhookEvent, { partner: partner.id, type: { $like: 'permission.%' } });
    expect(events.filter((e) => dataOf(e).channel_id === b.id).map((e) => e.type)).toEqual([
      'permission.granted',
      'permission.revoked',
    ]);
  });

  it('highlights and preselects the number asked for', async () => {
    const { agent, client } = await signedUp();
    const wanted = await channelFactory(hub.em(), client, { phoneNumber: '15550003333' });
    await channelFactory(hub.em(), client, { phoneNumber: '15550004444' });
    const page = await agent.get(`/permissions/${partner.id}?number=%2B1%20555%20000%203333`);
    const item = /<li class="requested">[\s\S]*?<\/li>/.exec(page.text)?.[0] ?? '';
    expect(item).toContain(wanted.id);
    expect(item).toContain('checked');
    expect(page.text.match(/checked/g)).toHaveLength(1);
    const absent = await agent.get(`/permissions/${partner.id}?number=15559998888`);
    expect(absent.text).toContain('asks for +15559998888, which is not connected yet');
  });

  it('shows an inline page when the partner has no redirect URL; with no number ticked it does not say "All set"', async () => {
    const em = hub.em();
    const bare = await em.findOneOrFail(Partner, (await partnerFactory(em, hub.deps, 'Bare')).partner.id);
    bare.partnerRedirectUrl = null;
    await em.flush();
    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${bare.id}`);
    await agent
      .post(`/permissions/${bare.id}/signup`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: `bare-${Date.now()}@bakery.example`, password: PASSWORD });
    const grant = await agent.get(`/permissions/${bare.id}`);
    const done = await agent
      .post(`/permissions/${bare.id}/confirm`)
      .type('form')
      .send({ _csrf: csrfOf(grant.text) });
    expect(done.status).toBe(200);
    expect(done.text).toContain('No number shared');
    expect(done.text).not.toContain('All set');
  });

  it('trusts prefilled values only with a valid, fresh io_signature', async () => {
    const now = Math.floor(hub.clock.now().getTime() / 1000);
    const good = signPermissionsParams(webhookSecret, partner.id, now);
    const signed = await request(hub.app).get(
      `/permissions/${partner.id}?email=ana%40bakery.example&io_timestamp=${now}&io_signature=${good}`,
    );
    expect(signed.text).toContain('Email provided by Acme Messaging');
    expect(signed.text).toMatch(/value="ana@bakery.example" readonly/);
    const stale = now - 301;
    const expired = await request(hub.app).get(
      `/permissions/${partner.id}?email=ana%40bakery.example&io_timestamp=${stale}&io_signature=${signPermissionsParams(webhookSecret, partner.id, stale)}`,
    );
    expect(expired.status).toBe(200);
    expect(expired.text).not.toContain('Email provided by');
    const forged = {
      io_signature: signPermissionsParams('whsec_other', partner.id, now),
      io_timestamp: String(now),
    };
    expect(await hasValidSignature(hub.em(), hub.deps.secretBox, partner, forged, hub.clock.now())).toBe(
      false,
    );
  });

  it('stops the keys of a channel the client revoked here', async () => {
    const { agent, client } = await signedUp();
    const channel = await channelFactory(hub.em(), client);
    const page = await agent.get(`/permissions/${partner.id}`);
    await agent
      .post(`/permissions/${partner.id}/confirm`)
      .type('form')
      .send(`_csrf=${csrfOf(page.text)}&channels=${channel.id}`);
    const { key } = await channelApiKeyFactory(hub.em(), partner, channel);
    const before = await request(hub.app).get('/waba/v1/configs/webhook').set('D360-API-KEY', key);
    expect(before.status).toBe(200);
    const again = await agent.get(`/permissions/${partner.id}`);
    await agent
      .post(`/permissions/${partner.id}/confirm`)
      .type('form')
      .send({ _csrf: csrfOf(again.text) });
    await new Promise((r) => setTimeout(r, 950));
    const after = await request(hub.app).get('/waba/v1/configs/webhook').set('D360-API-KEY', key);
    expect([after.status, after.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it('refuses channel ids that are not the client’s', async () => {
    const { agent } = await signedUp();
    const other = await signedUp();
    const foreign = await channelFactory(hub.em(), other.client);
    const page = await agent.get(`/permissions/${partner.id}`);
    const res = await agent
      .post(`/permissions/${partner.id}/confirm`)
      .type('form')
      .send(`_csrf=${csrfOf(page.text)}&channels=${foreign.id}`);
    expect(res.status).toBe(404);
    expect(await hub.em().count(Permission, { channel: foreign.id, partner: partner.id })).toBe(0);
  });
});
