import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();

describe('clients API', () => {
  let partner: Partner;
  let token: string;
  let clients: Client[];

  beforeAll(async () => {
    const em = hub.em();
    ({ partner, token } = await partnerFactory(em, hub.deps));
    clients = [];
    for (let i = 0; i < 7; i++) {
      clients.push(
        await clientFactory(em, partner, {
          externalId: `tenant-${i}`,
          status: i === 3 ? 'suspended' : 'active',
          createdAt: new Date(Date.UTC(2026, 0, 1 + i)),
        }),
      );
    }
    const { partner: other } = await partnerFactory(em, hub.deps, 'Other');
    await clientFactory(em, other, { externalId: 'tenant-0' });
  });

  const list = (query: string) =>
    request(hub.app).get(`/api/v2/partners/${partner.id}/clients?${query}`).set(bearer(token));

  it('lists newest first and walks every page with next_cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.clients.map((c: { id: string }) => c.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(clients.map((c) => c.id).reverse());
  });

  it('filters by status, external id and creation range', async () => {
    expect((await list('status=suspended')).body.clients.map((c: { id: string }) => c.id)).toEqual([
      clients[3]!.id,
    ]);
    expect((await list('external_id=tenant-0')).body.clients.map((c: { id: string }) => c.id)).toEqual([
      clients[0]!.id,
    ]);
    const range = await list('created_after=2026-01-02T00:00:00Z&created_before=2026-01-04T00:00:00Z');
    expect(range.body.clients.map((c: { external_id: string }) => c.external_id)).toEqual([
      'tenant-2',
      'tenant-1',
    ]);
  });

  it('pages through a creation range, with the other filters too', async () => {
    const externalIds = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await list(`${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.clients.map((c: { external_id: string }) => c.external_id));
        cursor = res.body.next_cursor;
      } while (cursor);
      return seen;
    };
    expect(await externalIds('created_before=2026-01-06T00:00:00Z')).toEqual([
      'tenant-4',
      'tenant-3',
      'tenant-2',
      'tenant-1',
      'tenant-0',
    ]);
    expect(await externalIds('created_after=2026-01-03T00:00:00Z')).toEqual([
      'tenant-6',
      'tenant-5',
      'tenant-4',
      'tenant-3',
      'tenant-2',
    ]);
    expect(await externalIds('created_before=2026-01-06T00:00:00Z&status=active')).toEqual([
      'tenant-4',
      'tenant-2',
      'tenant-1',
      'tenant-0',
    ]);
    expect(await externalIds('created_before=2026-01-06T00:00:00Z&status=suspended')).toEqual(['tenant-3']);
    expect(await externalIds('created_before=2026-01-06T00:00:00Z&external_id=tenant-2')).toEqual([
      'tenant-2',
    ]);
    expect(await externalIds('created_after=2026-01-06T00:00:00Z&external_id=tenant-2')).toEqual([]);
    expect(await externalIds('created_before=2026-01-01T00:00:00Z')).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['status=gone', 'status'],
    ['cursor=not-a-cursor', 'cursor'],
    ['created_after=yesterday', 'created_after'],
    ['surprise=1', 'Invalid query'],
  ])('rejects %s with 400 validation_failed', async (query, mention) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toContain(mention);
  });

  it('gets one client and sets its partner_payload, audited', async () => {
    const target = clients[1]!;
    const got = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/clients/${target.id}`)
      .set(bearer(token));
    expect(got.body).toMatchObject({
      id: target.id,
      partner_id: partner.id,
      external_id: 'tenant-1',
      status: 'active',
    });
    const patched = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}/clients/${target.id}`)
      .set(bearer(token))
      .send({ partner_payload: 'plan=pro;seats=3' });
    expect(patched.status).toBe(200);
    expect(patched.body.partner_payload).toBe('plan=pro;seats=3');
    expect(
      await hub.em().count(AuditLog, { partner: partner.id, action: 'client.updated', targetId: target.id }),
    ).toBe(1);
    const tooLong = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}/clients/${target.id}`)
      .set(bearer(token))
      .send({ partner_payload: 'x'.repeat(4097) });
    expect(tooLong.status).toBe(400);
  });

  it('answers 404 for a client of another partner exactly as for a missing one', async () => {
    const { partner: other, token: otherToken } = await partnerFactory(hub.em(), hub.deps, 'Snoop');
    const foreign = await request(hub.app)
      .get(`/api/v2/partners/${other.id}/clients/${clients[0]!.id}`)
      .set(bearer(otherToken));
    const missing = await request(hub.app)
      .get(`/api/v2/partners/${other.id}/clients/cli_missing`)
      .set(bearer(otherToken));
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
    expect(foreign.body.error.message.replace(clients[0]!.id, 'ID')).toBe(
      missing.body.error.message.replace('cli_missing', 'ID'),
    );
  });

  it('works the same over tRPC', async () => {
    const page = await hub.trpc(token).clients.list({ limit: 2 });
    expect(page.clients.map((c) => c.id)).toEqual([clients[6]!.id, clients[5]!.id]);
    const next = await hub.trpc(token).clients.list({ limit: 2, cursor: page.next_cursor! });
    expect(next.clients.map((c) => c.id)).toEqual([clients[4]!.id, clients[3]!.id]);
    expect((await hub.trpc(token).clients.list()).clients).toHaveLength(7);
    expect((await hub.trpc(token).clients.get({ client_id: clients[2]!.id })).external_id).toBe('tenant-2');
    const updated = await hub
      .trpc(token)
      .clients.update({ client_id: clients[2]!.id, partner_payload: null });
    expect(updated.partner_payload).toBeNull();
    await expect(hub.trpc(token).clients.get({ client_id: 'cli_missing' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
