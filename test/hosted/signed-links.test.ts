import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPermissionsParams } from '../../server/hosted/permissions-params.ts';
import { type SignedParams, SignedVisits, signLinkV2 } from '../../server/hosted/signed-visit.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { channelFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const PASSWORD = 'correct horse battery staple';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const hidden = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
  );

/** L12: the visitor cannot choose what a partner's link says, when the partner asks for that. */
describe('signed permission links', () => {
  const hub = useTestHub();
  let partner: Partner;
  let token: string;
  let secret: string;

  beforeAll(async () => {
    const created = await partnerFactory(hub.em(), hub.deps, 'Strict SaaS');
    ({ token, webhookSecret: secret } = created);
    partner = created.partner;
  });

  const now = () => Math.floor(hub.clock.now().getTime() / 1000);
  function link(params: SignedParams, tamper: SignedParams = {}, ts = now()): string {
    const signature = signLinkV2(secret, partner.id, ts, params);
    const query = new URLSearchParams({
      ...params,
      ...tamper,
      io_timestamp: String(ts),
      io_signature: signature,
      io_version: '2',
    });
    return `/permissions/${partner.id}?${query}`;
  }

  it('is a partner setting on the API, off by default', async () => {
    const before = await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    expect(before.body.require_signed_links).toBe(false);
    const res = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(token))
      .send({ require_signed_links: true });
    expect(res.status).toBe(200);
    expect(res.body.require_signed_links).toBe(true);
  });

  it('refuses unsigned, version-1 signed, stale and tampered links', async () => {
    const v1 = signPermissionsParams(secret, partner.id, now());
    for (const url of [
      `/permissions/${partner.id}?partner=payload`,
      `/permissions/${partner.id}?partner=evil&io_timestamp=${now()}&io_signature=${v1}`,
      link({ partner: 'tenant-7' }, {}, now() - 3600),
      link({ partner: 'tenant-7' }, { partner: 'tenant-evil' }),
      link({ partner: 'tenant-7', email: 'ana@bakery.example' }, { email: 'mallory@evil.example' }),
    ]) {
      const res = await request(hub.app).get(url);
      expect([res.status, res.headers['x-error-code']], url).toEqual([403, 'forbidden']);
    }
  });

  it('keeps what the signature proved through the signup, whatever the form says', async () => {
    const agent = request.agent(hub.app);
    const page = await agent.get(link({ partner: 'tenant-7', email: 'ana@bakery.example', state: 's-1' }));
    expect(page.status).toBe(200);
    expect(page.text).toContain('readonly');
    // The visitor edits the hidden fields and the email: the signed values win, the email is refused.
    const form = {
      ...hidden(page.text),
      _csrf: csrfOf(page.text),
      partner: 'tenant-evil',
      state: 'evil',
      password: PASSWORD,
      business_name: 'Sunrise Bakery',
    };
    const wrongEmail = await agent
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({ ...form, email: 'mallory@evil.example' });
    expect([wrongEmail.status, wrongEmail.headers['x-error-code']]).toEqual([400, 'validation_failed']);
    const signup = await agent
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({ ...form, email: 'ana@bakery.example' });
    expect(signup.status).toBe(303);
    expect(signup.headers.location).toContain('state=s-1');
    const user = await hub
      .em()
      .findOneOrFail(ClientUser, { email: 'ana@bakery.example' }, { populate: ['client'] });
    expect(user.client.partnerPayload).toBe('tenant-7');
    // Later steps of the visit, long after the link's five minutes, still work from this browser.
    hub.clock.advance(30 * 60_000);
    const grant = await agent.get(signup.headers.location!);
    expect(grant.status).toBe(200);
    // …and a browser that never opened the signed link gets nothing from the same URL.
    const stranger = await request(hub.app).get(signup.headers.location!);
    expect(stranger.status).toBe(403);
  });

  it('ticks a newly added number only with the hub-made signature, for every partner', async () => {
    const open = (await partnerFactory(hub.em(), hub.deps, 'Open SaaS')).partner;
    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${open.id}`);
    const email = `owner-${Date.now()}@bakery.example`;
    await agent
      .post(`/permissions/${open.id}/signup`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), email, password: PASSWORD, business_name: 'Sunrise Bakery' })
      .expect(303);
    const user = await hub.em().findOneOrFail(ClientUser, { email }, { populate: ['client'] });
    const channel = await channelFactory(hub.em(), await hub.em().findOneOrFail(Client, user.client.id));
    const ticked = (html: string) => new RegExp(`value="${channel.id}" checked`).test(html);

    const forged = await agent.get(`/permissions/${open.id}?added=${channel.id}`);
    expect(ticked(forged.text)).toBe(false);
    const wrongSig = await agent.get(
      `/permissions/${open.id}?added=${channel.id}&added_sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
    );
    expect(ticked(wrongSig.text)).toBe(false);
    // What the page's own "Add a number" answer carries is honoured.
    const sig = new SignedVisits(hub.deps.sessionSecret, false).signAdded(user.client.id, channel.id);
    const real = await agent.get(`/permissions/${open.id}?added=${channel.id}&added_sig=${sig}`);
    expect(ticked(real.text)).toBe(true);
  });

  it('accepts a link signed with a secret the partner chose (the key as typed, not as stored)', async () => {
    const chosen = await partnerFactory(hub.em(), hub.deps, 'Chosen Secret SaaS', {
      webhookUrl: 'https://hooks.example/chosen',
    });
    const mine = 'my-own-signing-secret-2026';
    const rotated = await request(hub.app)
      .post(`/api/v2/partners/${chosen.partner.id}/webhook_endpoints/primary/rotate_secret`)
      .set(bearer(chosen.token))
      .send({ secret: mine, grace_period_seconds: 0 });
    expect(rotated.status).toBe(200);
    const ts = now();
    const params = { email: 'ana@bakery.example' };
    const query = new URLSearchParams({
      ...params,
      io_timestamp: String(ts),
      io_signature: signLinkV2(mine, chosen.partner.id, ts, params),
      io_version: '2',
    });
    const page = await request(hub.app).get(`/permissions/${chosen.partner.id}?${query}`);
    expect(page.status).toBe(200);
    // A valid signature makes the prefilled email trusted: it is shown read-only.
    expect(page.text).toMatch(/ana@bakery\.example/);
    expect(page.text).toMatch(/readonly/);
  });
});
