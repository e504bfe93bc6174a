import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import * as f from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { runCli } from '../support/processes.ts';

const hub = useTestHub();

/** A client with two numbers, grants to two partners (one revoked before), keys, sessions and history. */
async function clientWithHistory() {
  const em = hub.em();
  const { partner: owner } = await f.partnerFactory(em, hub.deps, 'Owner SaaS');
  const { partner: other } = await f.partnerFactory(em, hub.deps, 'Other SaaS');
  const { partner: bystander } = await f.partnerFactory(em, hub.deps, 'Bystander SaaS');
  const client = await f.clientFactory(em, owner);
  const user = await f.clientUserFactory(em, client);
  const first = await f.channelFactory(em, client);
  const second = await f.channelFactory(em, client);
  const ownerGrant = await f.permissionFactory(em, owner, first);
  await f.permissionFactory(em, other, first, { revokedAt: new Date() });
  const otherGrant = await f.permissionFactory(em, other, second);
  await f.channelApiKeyFactory(em, owner, first);
  await f.onboardingSessionFactory(em, owner, { status: 'completed', client, channel: first });
  const message = await f.webhookEventFactory(em, owner, { channel: first, type: 'message.received' });
  const userAction = await f.auditLogFactory(em, owner, {
    actorType: 'client_user',
    actorId: user.id,
    action: 'permission.granted',
    targetType: 'permission',
    targetId: ownerGrant.id,
    ip: '203.0.113.9',
    userAgent: 'Firefox',
    details: { note: 'personal' },
  });
  // Someone else's client, which must not be touched.
  const unrelated = await f.clientFactory(em, owner);
  const unrelatedChannel = await f.channelFactory(em, unrelated);
  await f.permissionFactory(em, bystander, unrelatedChannel);
  await query(
    em,
    `insert into client_sessions (sid, sess, expire) values (?, ?, now() + interval '1 day'), (?, ?, now() + interval '1 day')`,
    [
      `s-${user.id}`,
      JSON.stringify({ passport: { user: user.id } }),
      `s-other-${user.id}`,
      JSON.stringify({ passport: { user: 'cus_someone_else' } }),
    ],
  );
  return {
    owner,
    other,
    bystander,
    client,
    user,
    first,
    second,
    ownerGrant,
    otherGrant,
    message,
    userAction,
    unrelated,
  };
}

const count = async (sql: string, params: unknown[]) =>
  Number((await query<{ n: string }>(hub.em(), `select count(*) as n from ${sql}`, params))[0]!.n);

describe('client erasure', () => {
  it('`clients erase` revokes every grant with its events, tells each partner, and deletes the client’s data', async () => {
    const s = await clientWithHistory();
    const env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: hub.deps.config.hubSecret! };

    const res = await runCli(['clients', 'erase', s.client.id, '--yes', '--json'], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({
      client_id: s.client.id,
      users: 1,
      channels: 2,
      revoked_permissions: expect.arrayContaining([s.ownerGrant.id, s.otherGrant.id]),
    });

    // Partners hear about it the usual way: a revoke per grant, then client.deleted.
    const events = await hub
      .em()
      .find(WebhookEvent, { type: { $in: ['permission.revoked', 'client.deleted'] } });
    const seen = events.map((e) => `${e.partner.id} ${e.type}`).sort();
    expect(seen).toEqual(
      [
        `${s.owner.id} permission.revoked`,
        `${s.other.id} permission.revoked`,
        `${s.owner.id} client.deleted`,
        `${s.other.id} client.deleted`,
      ].sort(),
    );
    const deleted = events.find((e) => e.type === 'client.deleted')!;
    expect(JSON.parse(deleted.body).data).toEqual({
      client_id: s.client.id,
      external_id: s.client.externalId,
    });

    // The client and everything hanging off it are gone; nothing dangles.
    expect(await count('clients where id = ?', [s.client.id])).toBe(0);
    expect(await count('client_users where client_id = ?', [s.client.id])).toBe(0);
    expect(await count('channels where client_id = ?', [s.client.id])).toBe(0);
    expect(await count('permissions where client_id = ?', [s.client.id])).toBe(0);
    expect(await count('channel_api_keys where channel_id in (?, ?)', [s.first.id, s.second.id])).toBe(0);
    expect(
      await count('onboarding_sessions where client_id = ? or channel_id = ?', [s.client.id, s.first.id]),
    ).toBe(0);
    expect(await count('webhook_events where id = ?', [s.message.id])).toBe(0);
    expect(await count(`client_sessions where sid = ?`, [`s-${s.user.id}`])).toBe(0);
    expect(await count(`client_sessions where sid = ?`, [`s-other-${s.user.id}`])).toBe(1);
    // Others' data is untouched.
    expect(await count('clients where id = ?', [s.unrelated.id])).toBe(1);
    expect(await count('permissions where client_id = ? and revoked_at is null', [s.unrelated.id])).toBe(1);

    // Audit rows keep who/what/when, without addresses, browsers or details.
    const kept = await hub.em().findOneOrFail(AuditLog, s.userAction.id);
    expect(kept).toMatchObject({
      actorId: s.user.id,
      action: 'permission.granted',
      ip: null,
      userAgent: null,
      details: null,
    });
    const erased = await hub.em().findOneOrFail(AuditLog, { action: 'client.erased', targetId: s.client.id });
    expect(erased).toMatchObject({
      actorType: 'operator',
      details: { users: 1, channels: 2, revoked_permissions: 2 },
    });
  });

  it('refuses without --yes and names an unknown client', async () => {
    const env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: hub.deps.config.hubSecret! };
    const s = await clientWithHistory();
    const unconfirmed = await runCli(['clients', 'erase', s.client.id], env);
    expect([unconfirmed.code, unconfirmed.stderr.trim()]).toEqual([
      1,
      `error: erasing ${s.client.id} cannot be undone: add --yes to confirm`,
    ]);
    expect(await count('clients where id = ?', [s.client.id])).toBe(1);
    const missing = await runCli(['clients', 'erase', 'cli_missing', '--yes'], env);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, 'error: No client cli_missing']);
  });
});
