import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { PartnerToken } from '../../server/modules/partners/partner-token.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();

describe('partner tokens API', () => {
  it('rotates with a grace window, lists metadata only, and revokes immediately', async () => {
    const { partner, token: first } = await partnerFactory(hub.em(), hub.deps);
    const rotated = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(first))
      .send({ grace_period_seconds: 600 });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({
      id: expect.stringMatching(/^ptk_/),
      token: expect.stringMatching(/^hubp_/),
      last4: rotated.body.token.slice(-4),
    });
    expect(Date.parse(rotated.body.previous_tokens_expire_at) - hub.clock.now().getTime()).toBe(600_000);
    const second: string = rotated.body.token;

    const list = await request(hub.app).get(`/api/v2/partners/${partner.id}/tokens`).set(bearer(second));
    expect(list.status).toBe(200);
    expect(list.body.tokens).toHaveLength(2);
    expect(list.body.tokens[0]).toEqual({
      id: rotated.body.id,
      prefix: 'hubp',
      last4: second.slice(-4),
      created_at: expect.any(String),
      expires_at: null,
      last_used_at: expect.any(String),
    });
    expect(list.body.tokens[1].expires_at).toBe(rotated.body.previous_tokens_expire_at);
    expect(JSON.stringify(list.body)).not.toContain(second);
    expect(JSON.stringify(list.body)).not.toContain(first);

    // Both work during the grace window; revoking the first ends it at once.
    expect((await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(first))).status).toBe(
      200,
    );
    const oldId = list.body.tokens[1].id;
    const revoked = await request(hub.app)
      .delete(`/api/v2/partners/${partner.id}/tokens/${oldId}`)
      .set(bearer(second));
    expect(revoked.status).toBe(204);
    expect((await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(first))).status).toBe(
      401,
    );

    const actions = (await hub.em().find(AuditLog, { partner: partner.id }, { orderBy: { id: 'asc' } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(['partner.created', 'partner_token.rotated', 'partner_token.revoked']);
  });

  it('ends the previous tokens at once with grace 0, and after it expires they are no longer listed', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(token))
      .send({ grace_period_seconds: 0 });
    expect(res.status).toBe(201);
    expect((await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token))).status).toBe(
      401,
    );
    const list = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(res.body.token));
    expect(list.body.tokens.map((t: { id: string }) => t.id)).toEqual([res.body.id]);
  });

  it('defaults to a 24 h grace window', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const res = await request(hub.app).post(`/api/v2/partners/${partner.id}/tokens`).set(bearer(token));
    expect(res.status).toBe(201);
    expect(Date.parse(res.body.previous_tokens_expire_at) - hub.clock.now().getTime()).toBe(86_400_000);
  });

  it('rejects an out-of-range grace window and unknown tokens', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const bad = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(token))
      .send({ grace_period_seconds: -1 });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    const missing = await request(hub.app)
      .delete(`/api/v2/partners/${partner.id}/tokens/ptk_nope`)
      .set(bearer(token));
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
  });

  it('records last use at minute resolution', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    const first = (await hub.em().findOneOrFail(PartnerToken, { partner: partner.id })).lastUsedAt;
    expect(first?.getTime()).toBe(hub.clock.now().getTime());
    hub.clock.advance(30_000);
    await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    expect((await hub.em().findOneOrFail(PartnerToken, { partner: partner.id })).lastUsedAt).toEqual(first);
    hub.clock.advance(31_000);
    await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    expect((await hub.em().findOneOrFail(PartnerToken, { partner: partner.id })).lastUsedAt?.getTime()).toBe(
      hub.clock.now().getTime(),
    );
  });

  it('works the same over tRPC', async () => {
    const { token } = await partnerFactory(hub.em(), hub.deps);
    const rotated = await hub.trpc(token).tokens.rotate({ grace_period_seconds: 0 });
    await expect(hub.trpc(token).tokens.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const list = await hub.trpc(rotated.token).tokens.list();
    expect(list.tokens.map((t) => t.id)).toEqual([rotated.id]);
    await hub.trpc(rotated.token).tokens.revoke({ token_id: rotated.id });
    await expect(hub.trpc(rotated.token).tokens.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
