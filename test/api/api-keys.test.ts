import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../server/crypto/tokens.ts';
import { ChannelApiKey } from '../../server/modules/api-keys/channel-api-key.entity.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { channelFactory, permissionFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';
import { dataOf } from '../support/webhooks.ts';

const hub = useTestHub();

describe('per-channel API keys', () => {
  it('creates a key shown once, stores only its hash, and announces it', async () => {
    const { partner, token, channel, client } = await partnerWithChannel(hub);
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token))
      .set('User-Agent', 'acme-backend/1.2');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^key_/),
      api_key: expect.stringMatching(/^hubk_[0-9A-Za-z]{36}$/),
      address: `${hub.deps.config.publicUrl}/waba`,
      created_at: expect.any(String),
    });
    const stored = await hub.em().findOneOrFail(ChannelApiKey, res.body.id);
    expect(stored.keyHash).toBe(hashToken(res.body.api_key));
    expect(JSON.stringify(stored)).not.toContain(res.body.api_key);

    const list = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    expect(list.body).toEqual({
      api_keys: [
        {
          id: res.body.id,
          prefix: 'hubk',
          last4: res.body.api_key.slice(-4),
          created_at: res.body.created_at,
          expires_at: null,
          last_used_at: null,
        },
      ],
      next_cursor: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(res.body.api_key);

    const events = await hub.em().find(WebhookEvent, { partner: partner.id, type: 'api_key.created' });
    expect(events.map(dataOf)).toEqual([
      {
        api_key_id: res.body.id,
        channel_id: channel.id,
        client_id: client.id,
        last4: res.body.api_key.slice(-4),
      },
    ]);
    const audit = await hub
      .em()
      .findOneOrFail(AuditLog, { action: 'api_key.created', targetId: res.body.id });
    expect(audit).toMatchObject({
      actorType: 'partner_token',
      ip: expect.any(String),
      userAgent: 'acme-backend/1.2',
    });
    expect(JSON.stringify(audit.details)).not.toContain(res.body.api_key);
  });

  it("revokes the partner's previous keys by default (360dialog behaviour), or lets them run out with a grace period", async () => {
    const { partner, token, channel } = await partnerWithChannel(hub);
    const { partner: rival, token: rivalToken } = await partnerWithChannel(hub, 'Rival');
    await permissionFactory(hub.em(), rival, channel);
    const rivalKey = await request(hub.app)
      .post(`/api/v2/partners/${rival.id}/channels/${channel.id}/api_keys`)
      .set(bearer(rivalToken));
    const path = `/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`;

    const first = await request(hub.app).post(path).set(bearer(token));
    const second = await request(hub.app).post(path).set(bearer(token));
    let keys = (await request(hub.app).get(path).set(bearer(token))).body.api_keys;
    expect(keys.map((k: { id: string }) => k.id)).toEqual([second.body.id]);
    const replaced = await hub.em().find(WebhookEvent, { partner: partner.id, type: 'api_key.revoked' });
    expect(replaced.map(dataOf)).toMatchObject([{ api_key_id: first.body.id, reason: 'replaced' }]);
    const audit = await hub
      .em()
      .findOneOrFail(AuditLog, { action: 'api_key.revoked', targetId: first.body.id });
    expect(audit.details).toMatchObject({ reason: 'replaced' });

    const third = await request(hub.app).post(path).set(bearer(token)).send({ grace_period_seconds: 3600 });
    keys = (await request(hub.app).get(path).set(bearer(token))).body.api_keys;
    expect(keys.map((k: { id: string; expires_at: string | null }) => [k.id, k.expires_at])).toEqual([
      [third.body.id, null],
      [second.body.id, new Date(hub.clock.now().getTime() + 3600_000).toISOString()],
    ]);
    hub.clock.advance(3600_000 + 1);
    keys = (await request(hub.app).get(path).set(bearer(token))).body.api_keys;
    expect(keys.map((k: { id: string }) => k.id)).toEqual([third.body.id]);

    // Another partner's key for the same channel is never touched.
    const rivalKeys = await request(hub.app)
      .get(`/api/v2/partners/${rival.id}/channels/${channel.id}/api_keys`)
      .set(bearer(rivalToken));
    expect(rivalKeys.body.api_keys.map((k: { id: string }) => k.id)).toEqual([rivalKey.body.id]);
  });

  it('revokes a key immediately with DELETE', async () => {
    const { partner, token, channel } = await partnerWithChannel(hub);
    const path = `/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`;
    const created = await request(hub.app).post(path).set(bearer(token));
    const del = await request(hub.app).delete(`${path}/${created.body.id}`).set(bearer(token));
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await hub.em().findOneOrFail(ChannelApiKey, created.body.id)).revokedAt).toEqual(hub.clock.now());
    expect((await request(hub.app).get(path).set(bearer(token))).body.api_keys).toEqual([]);
    const again = await request(hub.app).delete(`${path}/${created.body.id}`).set(bearer(token));
    expect([again.status, again.body.error.code]).toEqual([404, 'not_found']);
    expect(await hub.em().count(AuditLog, { action: 'api_key.revoked', targetId: created.body.id })).toBe(1);
  });

  it('needs a current permission (404) and a channel that can send (409 channel_not_ready)', async () => {
    const { partner, token, client, channel } = await partnerWithChannel(hub);
    const ungranted = await channelFactory(hub.em(), client);
    const res404 = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${ungranted.id}/api_keys`)
      .set(bearer(token));
    expect([res404.status, res404.body.error.code]).toEqual([404, 'not_found']);

    for (const status of ['pending', 'disconnected', 'deleted'] as const) {
      const blocked = await channelFactory(hub.em(), client, { status });
      await permissionFactory(hub.em(), partner, blocked);
      const res = await request(hub.app)
        .post(`/api/v2/partners/${partner.id}/channels/${blocked.id}/api_keys`)
        .set(bearer(token));
      expect([res.status, res.body.error.code, res.body.error.details], status).toEqual([
        409,
        'channel_not_ready',
        { status },
      ]);
    }
    const restricted = await channelFactory(hub.em(), client, { status: 'restricted' });
    await permissionFactory(hub.em(), partner, restricted);
    const ok = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${restricted.id}/api_keys`)
      .set(bearer(token));
    expect(ok.status).toBe(201);
    expect(channel.status).toBe('live');
  });

  it('works the same over tRPC', async () => {
    const { token, channel } = await partnerWithChannel(hub);
    const trpc = hub.trpc(token);
    const created = await trpc.apiKeys.create({ channel_id: channel.id });
    expect(created.api_key).toMatch(/^hubk_/);
    expect((await trpc.apiKeys.list({ channel_id: channel.id })).api_keys.map((k) => k.id)).toEqual([
      created.id,
    ]);
    await trpc.apiKeys.revoke({ channel_id: channel.id, key_id: created.id });
    expect((await trpc.apiKeys.list({ channel_id: channel.id })).api_keys).toEqual([]);
    await expect(trpc.apiKeys.create({ channel_id: 'chn_nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
