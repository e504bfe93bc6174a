import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const PASSWORD = 'correct horse battery staple';
/** The hidden fields of the page's form (the CSRF token and the visit's parameters), as a browser submits them. */
const hiddenFields = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
  );

describe('signing up on the permission page', () => {
  const hub = useTestHub({ TRUST_PROXY: 'true', RATE_LIMIT_SIGNUP_PER_IP_PER_HOUR: '3' });
  let partner: Partner;

  beforeAll(async () => {
    partner = (await partnerFactory(hub.em(), hub.deps, 'Acme SaaS')).partner;
  });

  /** A browser at `ip` that opened the permission page with `query`, for one form. */
  async function browserAt(ip: string, query = '') {
    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${partner.id}${query}`).set('X-Forwarded-For', ip);
    const post = (path: string, fields: Record<string, string>) =>
      agent
        .post(`/permissions/${partner.id}/${path}`)
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ ...hiddenFields(page.text), ...fields });
    return {
      signup: (email: string, businessName = 'Sunrise Bakery') =>
        post('signup', { email, password: PASSWORD, name: 'Ana Example', business_name: businessName }),
      login: (email: string) => post('login', { email, password: PASSWORD }),
    };
  }

  it('makes one account of concurrent sign-ups with one email; the others are told to log in', async () => {
    const email = 'race@bakery.example';
    const browsers = await Promise.all([1, 2, 3, 4].map((i) => browserAt(`10.1.0.${i}`)));
    const answers = await Promise.all(browsers.map((b) => b.signup(email, 'Race Bakery')));
    expect(answers.map((r) => r.status).sort()).toEqual([303, 409, 409, 409]);
    for (const r of answers.filter((a) => a.status === 409)) {
      expect(r.text).toContain('exists already');
      expect(r.text).toContain('Log in');
    }
    expect(await hub.em().count(ClientUser, { email })).toBe(1);
    // The losers' clients were rolled back with their users.
    expect(await hub.em().count(Client, { name: 'Race Bakery' })).toBe(1);
  });

  it('never copies the email or the name into the URL it redirects to', async () => {
    const email = 'ana@bakery.example';
    const query = `?email=${encodeURIComponent(email)}&name=Ana%20Example&state=s-1`;
    const signup = await (await browserAt('10.2.0.1', query)).signup(email);
    expect(signup.status).toBe(303);
    expect(signup.headers.location).toBe(`/permissions/${partner.id}?state=s-1`);
    const login = await (await browserAt('10.2.0.2', query)).login(email);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe(`/permissions/${partner.id}?state=s-1`);
  });

  it('budgets sign-ups per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await (await browserAt('10.3.0.1')).signup(`many-${i}@bakery.example`)).status);
    expect(statuses).toEqual([303, 303, 303, 429]);
    expect(await hub.em().count(ClientUser, { email: 'many-3@bakery.example' })).toBe(0);
    expect((await (await browserAt('10.3.0.2')).signup('many-3@bakery.example')).status).toBe(303);
  });
});
