import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { type DemoPartner, ensureDemoPartner } from '../../server/demo/demo-partner.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();

/** Every hub process that serves /demo issues itself a demo token; restarts must not pile them up. */
describe('demo partner tokens', () => {
  it('keeps the newest five live, so restarts do not accumulate credentials', async () => {
    const demos: DemoPartner[] = [];
    for (let i = 0; i < 8; i++) demos.push(await ensureDemoPartner(hub.deps));
    const [live] = await query<{ n: number }>(
      hub.em(),
      'select count(*)::int as n from partner_tokens where partner_id = ? and revoked_at is null',
      [demos[0]!.id],
    );
    expect(live!.n).toBe(5);
    const status = async (token: string) =>
      (await request(hub.app).get(`/api/v2/partners/${demos[0]!.id}`).set(bearer(token))).status;
    expect(await status(demos[7]!.token)).toBe(200);
    expect(await status(demos[3]!.token)).toBe(200);
    expect(await status(demos[0]!.token)).toBe(401);
  });
});
