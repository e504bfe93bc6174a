import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { pendingMigrations } from '../../server/db/migrate.ts';
import { query } from '../../server/db/sql.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import {
  partnerWebhookSecret,
  primaryDestinationOf,
} from '../../server/modules/webhooks/destinations.service.ts';
import { idPattern } from '../../shared/ids.ts';
import * as f from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

describe('data model', () => {
  it('has committed migrations that match the entities exactly', async () => {
    expect(await pendingMigrations(hub.orm)).toEqual([]);
    // Any entity change without a migration shows up here as SQL.
    expect(await hub.orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
  });

  it('builds every entity through its factory, with prefixed URL-safe ids', async () => {
    const em = hub.em();
    const { partner, token, webhookSecret } = await f.partnerFactory(em, hub.deps);
    const extraToken = await f.partnerTokenFactory(em, partner);
    const client = await f.clientFactory(em, partner);
    const user = await f.clientUserFactory(em, client);
    const channel = await f.channelFactory(em, client);
    const permission = await f.permissionFactory(em, partner, channel);
    const apiKey = await f.channelApiKeyFactory(em, partner, channel);
    const { session } = await f.onboardingSessionFactory(em, partner, {
      client,
      channel,
      metadata: { plan: 'pro' },
    });
    const event = await f.webhookEventFactory(em, partner, { channel });
    const delivery = await f.webhookDeliveryFactory(em, event);
    const attempt = await f.webhookAttemptFactory(em, delivery);
    const audit = await f.auditLogFactory(em, partner);
    const idempotency = await f.idempotencyKeyFactory(em, partner);

    const ids = {
      partner: partner.id,
      partnerToken: extraToken.record.id,
      client: client.id,
      clientUser: user.id,
      channel: channel.id,
      permission: permission.id,
      channelApiKey: apiKey.record.id,
      onboardingSession: session.id,
      webhookEvent: event.id,
      webhookDelivery: delivery.id,
      webhookAttempt: attempt.id,
      auditLog: audit.id,
      idempotencyKey: idempotency.id,
    } as const;
    for (const [kind, id] of Object.entries(ids)) {
      expect(id, kind).toMatch(idPattern(kind as keyof typeof ids));
      expect(id).not.toMatch(/[[\],]/);
    }
    expect(token).toMatch(/^hubp_/);

    // Re-read in a fresh unit of work: what the factories wrote is really in Postgres.
    const reread = hub.em();
    await reread.findOneOrFail(Partner, partner.id);
    expect(partnerWebhookSecret(hub.deps.secretBox, await primaryDestinationOf(reread, partner.id))).toBe(
      webhookSecret,
    );
    const grant = await reread.findOneOrFail(Permission, permission.id, { populate: ['channel', 'client'] });
    expect(grant.channel.phoneNumberId).toBe(channel.phoneNumberId);
    expect(grant.client.id).toBe(client.id);
    expect(grant.revokedAt).toBeNull();
  });

  it('sorts ids by creation time, which keyset pagination relies on', async () => {
    const em = hub.em();
    const { partner } = await f.partnerFactory(em, hub.deps);
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await f.clientFactory(em, partner)).id);
    expect([...created].sort()).toEqual(created);
  });

  it('allows one current permission per partner and channel, and keeps the history', async () => {
    const em = hub.em();
    const { partner } = await f.partnerFactory(em, hub.deps);
    const channel = await f.channelFactory(em, await f.clientFactory(em, partner));
    const first = await f.permissionFactory(em, partner, channel);
    await expect(f.permissionFactory(hub.em(), partner, channel)).rejects.toBeInstanceOf(
      UniqueConstraintViolationException,
    );
    first.revokedAt = new Date();
    await em.flush();
    await f.permissionFactory(hub.em(), partner, channel);
    expect(await hub.em().count(Permission, { partner: partner.id, channel: channel.id })).toBe(2);
  });

  it('keys clients by (partner, external id)', async () => {
    const em = hub.em();
    const { partner } = await f.partnerFactory(em, hub.deps);
    const { partner: other } = await f.partnerFactory(em, hub.deps, 'Other SaaS');
    await f.clientFactory(em, partner, { externalId: 'tenant-1' });
    await f.clientFactory(hub.em(), other, { externalId: 'tenant-1' });
    await expect(f.clientFactory(hub.em(), partner, { externalId: 'tenant-1' })).rejects.toBeInstanceOf(
      UniqueConstraintViolationException,
    );
  });

  it('has an index starting with the tenant for every tenant-scoped list', async () => {
    const rows = await query<{ tablename: string; indexdef: string }>(
      hub.em(),
      "select tablename, indexdef from pg_indexes where schemaname = 'public'",
    );
    // pg_indexes shows e.g. `CREATE INDEX … ON public.clients USING btree (partner_id, id)`.
    const keyset: Record<string, RegExp> = {
      clients: /\(partner_id, id\)/,
      partner_tokens: /\(partner_id, id\)/,
      channels: /\(client_id, id\)/,
      permissions: /\(partner_id, channel_id\) WHERE \(revoked_at IS NULL\)/,
      channel_api_keys: /\(channel_id, id\)/,
      onboarding_sessions: /\(partner_id, id\)/,
      webhook_events: /\(partner_id, id\)/,
      webhook_deliveries: /\(partner_id, id\)/,
      webhook_attempts: /\(delivery_id, id\)/,
      audit_logs: /\(partner_id, id\)/,
    };
    for (const [table, pattern] of Object.entries(keyset)) {
      const defs = rows.filter((r) => r.tablename === table).map((r) => r.indexdef);
      expect(
        defs.some((d) => pattern.test(d)),
        `${table}: ${defs.join('; ')}`,
      ).toBe(true);
    }
  });
});
