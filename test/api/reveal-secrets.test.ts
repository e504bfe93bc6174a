import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { channelSecretContext } from '../../server/modules/channels/channel-secrets.ts';
import { partnerTokenFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';

describe('reveal_secrets', () => {
  const hub = useTestHub({ RATE_LIMIT_REVEAL_PER_HOUR: '3' });

  async function channelWithToken() {
    const setup = await partnerWithChannel(hub);
    const em = hub.em();
    const channel = await em.findOneOrFail(Channel, setup.channel.id);
    channel.metaTokenSealed = hub.deps.secretBox.encrypt(
      'EAAGbiz',
      channelSecretContext(channel.id, 'meta_token'),
    );
    await em.flush();
    return setup;
  }

  it('returns the token uncacheable, audited, and never stores it for idempotent replays', async () => {
    const { partner, channel, token } = await channelWithToken();
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/reveal_secrets`)
      .set(bearer(token))
      .set('Idempotency-Key', 'reveal-1')
      .send({ secret_types: ['access_token'] });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      channel_id: channel.id,
      secrets: { access_token: 'EAAGbiz' },
      revealed_at: expect.any(String),
    });
    const audit = await hub.em().find(AuditLog, { action: 'channel.secrets_revealed', targetId: channel.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toEqual({ secret_types: ['access_token'] });
    expect(JSON.stringify(audit[0])).not.toContain('EAAGbiz');
    const [stored] = await query<{ n: number }>(
      hub.em(),
      "select count(*)::int n from idempotency_keys where response_body::text like '%EAAGbiz%'",
    );
    expect(stored?.n).toBe(0);
  });

  it('is available over tRPC with the same audit and budget', async () => {
    const { channel, token } = await channelWithToken();
    const trpc = hub.trpc(token);
    const revealed = await trpc.channels.revealSecrets({
      channel_id: channel.id,
      secret_types: ['access_token'],
    });
    expect(revealed.secrets).toEqual({ access_token: 'EAAGbiz' });
    expect(await hub.em().count(AuditLog, { action: 'channel.secrets_revealed', targetId: channel.id })).toBe(
      1,
    );
    await expect(
      trpc.channels.revealSecrets({ channel_id: 'chn_nope', secret_types: ['access_token'] }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const res = await request(hub.app)
      .post('/trpc/channels.revealSecrets')
      .set(bearer(token))
      .send({ channel_id: channel.id, secret_types: ['access_token'] });
    expect([res.status, res.headers['cache-control']]).toEqual([200, 'no-store']);
  });

  it('validates the secret types', async () => {
    const { partner, channel, token } = await channelWithToken();
    for (const body of [{}, { secret_types: [] }, { secret_types: ['app_secret'] }]) {
      const res = await request(hub.app)
        .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/reveal_secrets`)
        .set(bearer(token))
        .send(body);
      expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
    }
  });

  it('has its own hourly budget', async () => {
    const { partner, channel, token } = await channelWithToken();
    const reveal = () =>
      request(hub.app)
        .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/reveal_secrets`)
        .set(bearer(token))
        .send({ secret_types: ['access_token'] });
    for (let i = 0; i < 3; i++) expect((await reveal()).status).toBe(200);
    const limited = await reveal();
    expect([limited.status, limited.body.error.code]).toEqual([429, 'rate_limited']);
    expect(limited.headers['ratelimit-policy']).toBe('"reveal";q=3;w=3600');
    expect(limited.body).not.toHaveProperty('secrets');
    // Other calls are not affected.
    const list = await request(hub.app).get(`/api/v2/partners/${partner.id}/channels`).set(bearer(token));
    expect(list.status).toBe(200);
  });

  it('shares that budget among all the tokens of a partner', async () => {
    const { partner, channel, token } = await channelWithToken();
    const { token: minted } = await partnerTokenFactory(hub.em(), partner);
    const reveal = (t: string) =>
      request(hub.app)
        .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/reveal_secrets`)
        .set(bearer(t))
        .send({ secret_types: ['access_token'] });
    for (let i = 0; i < 2; i++) expect((await reveal(token)).status).toBe(200);
    expect((await reveal(minted)).status).toBe(200);
    const limited = await reveal(minted);
    expect([limited.status, limited.body.error.code]).toEqual([429, 'rate_limited']);
    await expect(
      hub.trpc(minted).channels.revealSecrets({ channel_id: channel.id, secret_types: ['access_token'] }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});
