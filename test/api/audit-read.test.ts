import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPartnerHubClient } from '../../client/src/sdk.ts';
import { recordAudit } from '../../server/modules/audit/audit.service.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { channelSecretContext } from '../../server/modules/channels/channel-secrets.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { PartnerToken } from '../../server/modules/partners/partner-token.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';

describe('the audit read API', () => {
  const hub = useTestHub({}, { listen: true });

  async function withActivity() {
    const setup = await partnerWithChannel(hub);
    const em = hub.em();
    const channel = await em.findOneOrFail(Channel, setup.channel.id);
    channel.metaTokenSealed = hub.deps.secretBox.encrypt(
      'EAAGbiz',
      channelSecretContext(channel.id, 'meta_token'),
    );
    await em.flush();
    const api = (path: string) => `/api/v2/partners/${setup.partner.id}${path}`;
    const reveal = await request(hub.app)
      .post(api(`/channels/${channel.id}/reveal_secrets`))
      .set(bearer(setup.token))
      .set('user-agent', 'audit-test')
      .send({ secret_types: ['access_token'] });
    expect(reveal.status).toBe(200);
    {
      const key = await request(hub.app)
        .post(api(`/channels/${channel.id}/api_keys`))
        .set(bearer(setup.token))
        .send({});
      expect(key.status).toBe(201);
    }
    // A client user's action on the hosted pages: its address is not the partner's to read.
    recordAudit(
      em,
      { type: 'client_user', id: 'usr_1', ip: '203.0.113.9', userAgent: 'Firefox' },
      { partner: await em.findOneOrFail(Partner, setup.partner.id), action: 'permission.granted' },
    );
    await em.flush();
    const tokenId = (await em.findOneOrFail(PartnerToken, { partner: setup.partner.id })).id;
    const list = (query = '') =>
      request(hub.app)
        .get(api(`/audit_log${query}`))
        .set(bearer(setup.token));
    return { ...setup, tokenId, list };
  }

  it('lists the partner’s own entries, newest first, naming the credential that acted', async () => {
    const { tokenId, channel, list } = await withActivity();
    const res = await list();
    expect(res.status).toBe(200);
    const actions = res.body.entries.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 3)).toEqual([
      'permission.granted',
      'api_key.created',
      'channel.secrets_revealed',
    ]);
    const reveal = res.body.entries[2];
    expect(reveal).toMatchObject({
      actor_type: 'partner_token',
      actor_id: tokenId,
      target_type: 'channel',
      target_id: channel.id,
      user_agent: 'audit-test',
      details: { secret_types: ['access_token'] },
    });
    expect(reveal.ip).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toContain('EAAGbiz');
    // A client user's address and browser stay hidden.
    expect(res.body.entries[0]).toMatchObject({
      actor_type: 'client_user',
      actor_id: 'usr_1',
      ip: null,
      user_agent: null,
    });
  });

  it('filters by action, prefix, actor, target and time, and pages', async () => {
    const { tokenId, channel, list } = await withActivity();
    const reveals = await list('?action=channel.secrets_revealed');
    expect(reveals.body.entries).toHaveLength(1);
    const keys = await list('?action_prefix=api_key.');
    expect(keys.body.entries.map((e: { action: string }) => e.action)).toEqual(['api_key.created']);
    // `_` is literal in a prefix, not a wildcard.
    expect((await list('?action_prefix=api_ke_')).body.entries).toEqual([]);
    const byToken = await list(`?actor_id=${tokenId}&target_id=${channel.id}`);
    expect(byToken.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'channel.secrets_revealed',
    ]);
    expect((await list('?actor_type=client_user')).body.entries).toHaveLength(1);
    expect((await list('?until=2000-01-01T00:00:00Z')).body.entries).toEqual([]);
    expect((await list('?since=2000-01-01T00:00:00Z')).body.entries.length).toBeGreaterThanOrEqual(3);
    const first = await list('?limit=1');
    expect(first.body.entries).toHaveLength(1);
    const second = await list(`?limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(second.body.entries[0].id).not.toBe(first.body.entries[0].id);
    for (const bad of ['?actor_type=god', '?since=yesterday', '?limit=0', '?extra=1']) {
      const res = await list(bad);
      expect([res.status, res.body.error.code], bad).toEqual([400, 'validation_failed']);
    }
  });

  it('never shows another partner’s entries; over tRPC and the SDK too', async () => {
    const { partner, token } = await withActivity();
    const other = await partnerFactory(hub.em(), hub.deps, 'Other');
    const mine = await request(hub.app)
      .get(`/api/v2/partners/${other.partner.id}/audit_log`)
      .set(bearer(other.token));
    expect(JSON.stringify(mine.body)).not.toContain(partner.id);
    const peek = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/audit_log`)
      .set(bearer(other.token));
    expect([peek.status, peek.body.error.code]).toEqual([403, 'forbidden']);
    const viaTrpc = await hub.trpc(token).audit.list({ action: 'channel.secrets_revealed' });
    expect(viaTrpc.entries).toHaveLength(1);
    const sdk = createPartnerHubClient({ baseUrl: hub.url, token, partnerId: partner.id });
    expect((await sdk.rest.audit.list({ action_prefix: 'api_key.' })).entries).toHaveLength(1);
  });
});
