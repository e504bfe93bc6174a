import request, { type Response } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_TABLE } from '../../server/hosted/session.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { onboardingSessionFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const PASSWORD = 'correct horse battery staple';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const cookiesOf = (res: Response): string[] => [res.headers['set-cookie'] ?? []].flat();

describe('CSRF without a session before login', () => {
  const hub = useTestHub();
  let partner: Partner;
  const sessionRows = async () =>
    Number((await hub.deps.pgPool.query(`select count(*) from ${SESSION_TABLE}`)).rows[0].count);

  beforeAll(async () => {
    partner = (await partnerFactory(hub.em(), hub.deps, 'Acme SaaS')).partner;
  });

  it('stores no session for anonymous visits of the login, signup and onboarding pages', async () => {
    const { urlToken } = await onboardingSessionFactory(hub.em(), partner);
    for (const path of [
      `/permissions/${partner.id}`,
      `/permissions/${partner.id}?next=login`,
      `/dashboard/app/${partner.id}`,
      '/hub',
      `/onboard/${urlToken}`,
    ]) {
      const res = await request(hub.app).get(path);
      expect(res.status, path).toBe(200);
      expect(csrfOf(res.text), path).not.toBe('');
      expect(cookiesOf(res).some((c: string) => c.startsWith('hub.sid='))).toBeFalsy();
    }
    // Failed logins store nothing either.
    const agent = request.agent(hub.app);
    const page = await agent.get('/hub');
    const failed = await agent
      .post('/hub/login')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: 'nobody@bakery.example', password: PASSWORD });
    expect(failed.status).toBe(401);
    expect(await sessionRows()).toBe(0);
  });

  it('still refuses unsafe requests without the token, with another browser’s token, or with a pre-login token', async () => {
    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${partner.id}`);
    const token = csrfOf(page.text);
    const signup = (a: typeof agent, fields: Record<string, string>) =>
      a
        .post(`/permissions/${partner.id}/signup`)
        .type('form')
        .send({ email: 'csrf@bakery.example', password: PASSWORD, ...fields });

    expect((await signup(agent, {})).headers['x-error-code']).toBe('invalid_csrf_token');
    expect((await signup(agent, { _csrf: `${token}0` })).status).toBe(403);
    const other = request.agent(hub.app);
    const otherToken = csrfOf((await other.get(`/permissions/${partner.id}`)).text);
    expect(otherToken).not.toBe(token);
    expect((await signup(agent, { _csrf: otherToken })).status).toBe(403);
    // The token without its cookie.
    expect((await signup(request.agent(hub.app), { _csrf: token })).status).toBe(403);
    expect(await sessionRows()).toBe(0);

    const created = await signup(agent, { _csrf: token });
    expect(created.status).toBe(303);
    expect(await sessionRows()).toBe(1);
    // Logged in, the anonymous token no longer counts; the page's new one does.
    const logout = (csrf: string) =>
      agent.post(`/permissions/${partner.id}/logout`).type('form').send({ _csrf: csrf });
    expect((await logout(token)).status).toBe(403);
    const grant = await agent.get(`/permissions/${partner.id}`);
    expect(grant.text).toContain('Choose the numbers');
    expect(csrfOf(grant.text)).not.toBe(token);
    expect((await logout(csrfOf(grant.text))).status).toBe(303);
  });
});
