import argon2 from 'argon2';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import { ARGON2_OPTIONS } from '../../server/modules/clients/passwords.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import {
  channelFactory,
  clientUserFactory,
  partnerFactory,
  permissionFactory,
} from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const PASSWORD = 'correct horse battery staple';
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('deleting one’s own account from /hub', () => {
  const hub = useTestHub();
  let partner: Partner;

  beforeAll(async () => {
    partner = (await partnerFactory(hub.em(), hub.deps, 'Acme SaaS')).partner;
  });

  async function signedUpAgent() {
    const agent = request.agent(hub.app);
    const page = await agent.get(`/permissions/${partner.id}`);
    const email = `del-${Math.random().toString(36).slice(2)}@bakery.example`;
    await agent
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), email, password: PASSWORD, business_name: 'Sunrise Bakery' });
    const user = await hub.em().findOneOrFail(ClientUser, { email }, { populate: ['client'] });
    return { agent, user, client: user.client };
  }

  const sessionsOf = async (userId: string) =>
    (
      await query<{ n: string }>(
        hub.em(),
        `select count(*) as n from client_sessions where (sess -> 'passport' ->> 'user') = ?`,
        [userId],
      )
    )[0]!.n;

  it('needs the CSRF token and the password again, then erases the business and logs out', async () => {
    const { agent, user, client } = await signedUpAgent();
    const channel = await channelFactory(hub.em(), client);
    const grant = await permissionFactory(hub.em(), partner, channel);
    const page = await agent.get('/hub');
    expect(page.text).toContain('Delete my account');

    const noCsrf = await agent.post('/hub/account/delete').type('form').send({ password: PASSWORD });
    expect(noCsrf.status).toBe(403);
    const wrong = await agent
      .post('/hub/account/delete')
      .type('form')
      .send({ _csrf: csrfOf(page.text), password: 'not my password' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong password: your account was not deleted.');
    expect(await hub.em().count(ClientUser, { id: user.id })).toBe(1);

    const done = await agent
      .post('/hub/account/delete')
      .type('form')
      .send({ _csrf: csrfOf(wrong.text), password: PASSWORD });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Your account was deleted');
    expect(await hub.em().count(ClientUser, { id: user.id })).toBe(0);
    expect(await hub.em().count(Client, { id: client.id })).toBe(0);
    expect(await hub.em().count(Permission, { id: grant.id })).toBe(0);
    expect(await sessionsOf(user.id)).toBe('0');
    const revoked = await hub.em().find(WebhookEvent, { partner: partner.id, type: 'permission.revoked' });
    expect(revoked.map((e) => JSON.parse(e.body).data.permission_id)).toContain(grant.id);
    // The old cookie no longer logs anyone in.
    expect((await agent.get('/hub')).text).toContain('Log in');
  });

  it('deletes only the user when the business has other users', async () => {
    const { agent, user, client } = await signedUpAgent();
    const colleague = await clientUserFactory(hub.em(), await hub.em().findOneOrFail(Client, client.id), {
      passwordHash: await argon2.hash('another password', ARGON2_OPTIONS),
    });
    const page = await agent.get('/hub');
    const done = await agent
      .post('/hub/account/delete')
      .type('form')
      .send({ _csrf: csrfOf(page.text), password: PASSWORD });
    expect(done.status).toBe(200);
    expect(await hub.em().count(ClientUser, { id: user.id })).toBe(0);
    expect(await hub.em().count(ClientUser, { id: colleague.id })).toBe(1);
    expect(await hub.em().count(Client, { id: client.id })).toBe(1);
  });
});
