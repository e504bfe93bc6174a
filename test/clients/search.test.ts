import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import * as f from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();

async function partnerWithClients() {
  const em = hub.em();
  const { partner, token } = await f.partnerFactory(em, hub.deps, 'Search Co');
  const make = (name: string | null, externalId: string | null, status: 'active' | 'suspended' = 'active') =>
    f.clientFactory(em, partner, { name, externalId, status });
  const clients = {
    bakery: await make('Sunrise Bakery', 'tenant-001'),
    bakeryTwo: await make('sunrise bagels', 'tenant-002'),
    florist: await make('Moonlight Florist', 'SUN-77'),
    percent: await make('100% Juice', 'tenant-003'),
    underscore: await make('1000 Juices', 'tenant_004'),
    disabled: await make('Sunset Bar', 'tenant-005', 'suspended'),
    nameless: await make(null, 'tenant-006'),
  };
  return { partner, token, clients };
}

const list = (token: string, partnerId: string, q: Record<string, string | number>) =>
  request(hub.app).get(`/api/v2/partners/${partnerId}/clients`).query(q).set(bearer(token));

const names = (res: { body: { clients: { name: string | null }[] } }) => res.body.clients.map((c) => c.name);

describe('clients.list ?q=: a case-insensitive prefix of the name or external id', () => {
  it('matches name and external id prefixes, ignoring case, newest first', async () => {
    const { partner, token } = await partnerWithClients();
    const res = await list(token, partner.id, { q: 'SUN' });
    expect(res.status).toBe(200);
    // "SUN-77" is the florist's external id; a prefix, so "Moonlight" is not a substring match.
    expect(names(res)).toEqual(['Sunset Bar', 'Moonlight Florist', 'sunrise bagels', 'Sunrise Bakery']);
    expect(names(await list(token, partner.id, { q: 'tenant-00' }))).toEqual([
      null,
      'Sunset Bar',
      '100% Juice',
      'sunrise bagels',
      'Sunrise Bakery',
    ]);
    expect(names(await list(token, partner.id, { q: 'light' }))).toEqual([]);
  });

  it('takes % and _ literally, not as LIKE wildcards', async () => {
    const { partner, token } = await partnerWithClients();
    expect(names(await list(token, partner.id, { q: '100%' }))).toEqual(['100% Juice']);
    expect(names(await list(token, partner.id, { q: 'tenant_' }))).toEqual(['1000 Juices']);
    expect(names(await list(token, partner.id, { q: '%' }))).toEqual([]);
  });

  it('combines with the other filters and pages by cursor', async () => {
    const { partner, token } = await partnerWithClients();
    expect(names(await list(token, partner.id, { q: 'sun', status: 'active' }))).toEqual([
      'Moonlight Florist',
      'sunrise bagels',
      'Sunrise Bakery',
    ]);
    const first = await list(token, partner.id, { q: 'sun', limit: 3 });
    expect(names(first)).toEqual(['Sunset Bar', 'Moonlight Florist', 'sunrise bagels']);
    const second = await list(token, partner.id, { q: 'sun', limit: 3, cursor: first.body.next_cursor });
    expect(names(second)).toEqual(['Sunrise Bakery']);
    expect(second.body.next_cursor).toBeNull();
    const created = await list(token, partner.id, { q: 'sun', created_after: '2000-01-01T00:00:00Z' });
    expect(names(created)).toHaveLength(4);
  });

  it("never reaches another partner's clients, over REST and tRPC", async () => {
    const { partner, token } = await partnerWithClients();
    const other = await partnerWithClients();
    const rest = await list(token, partner.id, { q: 'sun', limit: 100 });
    expect(rest.body.clients.map((c: { partner_id: string }) => c.partner_id)).toEqual(
      Array(4).fill(partner.id),
    );
    const trpc = await hub.trpc(other.token).clients.list({ q: 'sunrise' });
    expect(trpc.clients.map((c) => c.id)).toEqual([other.clients.bakeryTwo.id, other.clients.bakery.id]);
  });

  it('refuses an empty or overlong search as validation_failed', async () => {
    const { partner, token } = await partnerWithClients();
    for (const q of ['', '   ', 'x'.repeat(201)]) {
      const res = await list(token, partner.id, { q });
      expect([res.status, res.body.error?.code]).toEqual([400, 'validation_failed']);
    }
  });

  it('reads the prefix from the search indexes, not by walking the partner’s clients', async () => {
    const { partner } = await partnerWithClients();
    const em = hub.em();
    // A partner with 20,000 clients, none of them matching, so the plan is the one a big partner gets.
    await query(
      em,
      `insert into clients (id, partner_id, name, external_id, status, payment_model, billing_status, created_at, updated_at)
       select 'cli_' || lpad(g::text, 26, '0'), ?, 'Client ' || g, 'ext-' || g, 'active', 'partner', 'ok', now(), now()
       from generate_series(1, 20000) g`,
      [partner.id],
    );
    await query(em, 'analyze clients');
    const plan = await query<{ 'QUERY PLAN': string }>(
      em,
      `explain select id from clients where partner_id = ?
       and (lower(name) like 'sun%' escape '!' or lower(external_id) like 'sun%' escape '!')`,
      [partner.id],
    );
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    // `~>=~`/`~<~` are the pattern-ops range bounds: the prefix is an index range, on both columns.
    expect(text).toMatch(/clients_name_search_index[\s\S]*~>=~/);
    expect(text).toMatch(/clients_external_id_search_index[\s\S]*~>=~/);
  });
});
