import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { ChannelApiKey } from '../../server/modules/api-keys/channel-api-key.entity.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { MetaWebhook } from '../../server/modules/inbound/meta-webhook.entity.ts';
import { OnboardingSession } from '../../server/modules/onboarding/onboarding-session.entity.ts';
import { PartnerToken } from '../../server/modules/partners/partner-token.entity.ts';
import { enqueue } from '../support/enqueue.ts';
import * as f from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const DAY = 24 * 3600_000;

const hub = useTestHub({
  AUDIT_LOG_RETENTION_DAYS: '10',
  ONBOARDING_SESSION_RETENTION_DAYS: '10',
  CREDENTIAL_RETENTION_DAYS: '10',
  META_WEBHOOK_RETENTION_DAYS: '10',
  META_WEBHOOK_UNROUTED_RETENTION_DAYS: '10',
  SANDBOX_RETENTION_DAYS: '10',
});

let serial = 0;
async function sandboxBusiness(createdAt: Date): Promise<{ businessId: string; wabaId: string }> {
  serial += 1;
  const businessId = `9${String(serial).padStart(14, '0')}`;
  const wabaId = `8${String(serial).padStart(14, '0')}`;
  await query(
    hub.em(),
    `insert into sandbox.businesses (id, name, system_user_id, created_at) values (?, 'Biz', '1', ?)`,
    [businessId, createdAt],
  );
  await query(
    hub.em(),
    `insert into sandbox.wabas (id, business_id, name, created_at) values (?, ?, 'W', ?)`,
    [wabaId, businessId, createdAt],
  );
  await query(
    hub.em(),
    `insert into sandbox.phone_numbers (id, waba_id, phone_number, verified_name, connection_type, created_at)
     values (?, ?, ?, 'W', 'cloud_api', ?)`,
    [`7${String(serial).padStart(14, '0')}`, wabaId, `1555${String(serial).padStart(7, '0')}`, createdAt],
  );
  return { businessId, wabaId };
}

/** Everything the prune job looks at, written at the test clock's "now". */
async function writeHistory() {
  const em = hub.em();
  const now = hub.clock.now();
  const { partner } = await f.partnerFactory(em, hub.deps);
  const client = await f.clientFactory(em, partner);
  const channel = await f.channelFactory(em, client);
  await f.permissionFactory(em, partner, channel);
  const audit = await f.auditLogFactory(em, partner, { createdAt: now });
  const finished = (
    await f.onboardingSessionFactory(em, partner, {
      status: 'completed',
      client,
      channel,
      finishedAt: now,
      expiresAt: now,
      createdAt: now,
    })
  ).session;
  const open = (
    await f.onboardingSessionFactory(em, partner, {
      status: 'opened',
      expiresAt: new Date(now.getTime() + 365 * DAY),
      createdAt: now,
    })
  ).session;
  const revokedToken = (await f.partnerTokenFactory(em, partner)).record;
  const expiredToken = (await f.partnerTokenFactory(em, partner)).record;
  const liveToken = (await f.partnerTokenFactory(em, partner)).record;
  revokedToken.revokedAt = now;
  expiredToken.expiresAt = now;
  const revokedKey = (await f.channelApiKeyFactory(em, partner, channel)).record;
  const liveKey = (await f.channelApiKeyFactory(em, partner, channel)).record;
  revokedKey.revokedAt = now;
  const routed = em.create(MetaWebhook, {
    receivedAt: now,
    body: Buffer.from(`r${now.getTime()}`),
    routedAt: now,
  });
  const unrouted = em.create(MetaWebhook, {
    receivedAt: now,
    body: Buffer.from(`u${now.getTime()}`),
    error: 'unknown phone_number_id',
  });
  await em.flush();
  const idleSandbox = await sandboxBusiness(now);
  const usedSandbox = await sandboxBusiness(now);
  await f.channelFactory(em, client, { wabaId: usedSandbox.wabaId });
  const stripe = {
    billed: `cus_billed${now.getTime()}`,
    idle: `cus_idle${now.getTime()}`,
    card: `pm_billed${now.getTime()}`,
  };
  for (const [id, type, customer] of [
    [stripe.billed, 'customer', null],
    [stripe.idle, 'customer', null],
    [stripe.card, 'payment_method', stripe.billed],
  ] as const) {
    await query(
      hub.em(),
      `insert into sandbox.stripe_objects (id, type, customer, data, created_at) values (?, ?, ?, '{}', ?)`,
      [id, type, customer, now],
    );
  }
  await query(hub.em(), 'update clients set billing_customer_id = ? where id = ?', [
    stripe.billed,
    client.id,
  ]);
  return {
    client,
    audit,
    finished,
    open,
    revokedToken,
    expiredToken,
    liveToken,
    revokedKey,
    liveKey,
    routed,
    unrouted,
    idleSandbox,
    usedSandbox,
    stripe,
  };
}

async function prune() {
  await hub.em().transactional((tx) => enqueue(tx, hub.clock, 'prune_expired', {}));
  await hub.drainJobs();
}

const exists = async (entity: Parameters<ReturnType<typeof hub.em>['count']>[0], id: string) =>
  (await hub.em().count(entity, { id })) === 1;

const sandboxBusinessExists = async (id: string) =>
  (
    await query<{ n: number }>(hub.em(), 'select count(*)::int as n from sandbox.businesses where id = ?', [
      id,
    ])
  )[0]!.n === 1;

describe('retention', () => {
  it('prunes each kind of history once it is older than its setting, keeps newer and live rows, and leaves no dangling references', async () => {
    const old = await writeHistory();
    hub.clock.advance(11 * DAY);
    const recent = await writeHistory();

    await prune();

    for (const [name, entity, key] of [
      ['audit row', AuditLog, 'audit'],
      ['finished onboarding session', OnboardingSession, 'finished'],
      ['revoked token', PartnerToken, 'revokedToken'],
      ['expired token', PartnerToken, 'expiredToken'],
      ['revoked key', ChannelApiKey, 'revokedKey'],
      ['routed Meta payload', MetaWebhook, 'routed'],
      ['unrouted Meta payload', MetaWebhook, 'unrouted'],
    ] as const) {
      expect(await exists(entity, old[key].id), `old ${name} pruned`).toBe(false);
      expect(await exists(entity, recent[key].id), `recent ${name} kept`).toBe(true);
    }
    // Live rows are kept whatever their age.
    expect(await exists(OnboardingSession, old.open.id)).toBe(true);
    expect(await exists(PartnerToken, old.liveToken.id)).toBe(true);
    expect(await exists(ChannelApiKey, old.liveKey.id)).toBe(true);
    expect(await exists(Client, old.client.id)).toBe(true);
    // The emulator's old state goes, unless a hub channel still runs on it.
    expect(await sandboxBusinessExists(old.idleSandbox.businessId)).toBe(false);
    expect(await sandboxBusinessExists(old.usedSandbox.businessId)).toBe(true);
    expect(await sandboxBusinessExists(recent.idleSandbox.businessId)).toBe(true);
    const orphans = await query<{ n: number }>(
      hub.em(),
      `select (select count(*) from sandbox.wabas w where not exists (select 1 from sandbox.businesses b where b.id = w.business_id))
            + (select count(*) from sandbox.phone_numbers p where not exists (select 1 from sandbox.wabas w where w.id = p.waba_id)) as n`,
    );
    expect(Number(orphans[0]!.n)).toBe(0);
    // The Stripe sandbox keeps what the hub bills, whatever its age.
    const stripeIds = async (ids: string[]) =>
      (
        await query<{ id: string }>(
          hub.em(),
          'select id from sandbox.stripe_objects where id in (?) order by id',
          [ids],
        )
      ).map((r) => r.id);
    expect(await stripeIds([old.stripe.billed, old.stripe.idle, old.stripe.card])).toEqual(
      [old.stripe.billed, old.stripe.card].sort(),
    );
    expect(await stripeIds([recent.stripe.idle])).toEqual([recent.stripe.idle]);
  });
});
