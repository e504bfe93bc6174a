import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PartnerToken } from '../../server/modules/partners/partner-token.entity.ts';
import { rotatePartnerToken } from '../../server/modules/partners/partner-tokens.service.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();
const operator = { type: 'operator' as const, id: 'test' };

/** A partner whose first token was superseded by a rotation and is in its grace window. */
async function rotatedPartner() {
  const { partner, token: superseded } = await partnerFactory(hub.em(), hub.deps);
  const current = await rotatePartnerToken(hub.em(), hub.clock, partner, operator, 3600);
  return { partner, superseded, current };
}

async function expiryOf(tokenId: string) {
  return (await hub.em().findOneOrFail(PartnerToken, tokenId)).expiresAt;
}

describe('a token in its rotation grace window', () => {
  it('still reads and writes over REST, but cannot rotate or revoke tokens', async () => {
    const { partner, superseded, current } = await rotatedPartner();
    const base = `/api/v2/partners/${partner.id}`;
    expect((await request(hub.app).get(base).set(bearer(superseded))).status).toBe(200);
    expect((await request(hub.app).get(`${base}/tokens`).set(bearer(superseded))).status).toBe(200);
    const write = await request(hub.app).patch(base).set(bearer(superseded)).send({ brand_name: 'Still me' });
    expect(write.status).toBe(200);

    const rotate = await request(hub.app)
      .post(`${base}/tokens`)
      .set(bearer(superseded))
      .send({ grace_period_seconds: 30 * 24 * 3600 });
    expect([rotate.status, rotate.body.error?.code]).toEqual([403, 'token_superseded']);
    const revoke = await request(hub.app)
      .delete(`${base}/tokens/${current.record.id}`)
      .set(bearer(superseded));
    expect([revoke.status, revoke.body.error?.code]).toEqual([403, 'token_superseded']);

    // The owner's token is untouched and still the only way to manage tokens.
    expect(await expiryOf(current.record.id)).toBeNull();
    expect(await hub.em().count(PartnerToken, { partner: partner.id })).toBe(2);
    const [, oldId] = (
      await request(hub.app).get(`${base}/tokens`).set(bearer(current.token))
    ).body.tokens.map((t: { id: string }) => t.id);
    const ownerRevokes = await request(hub.app).delete(`${base}/tokens/${oldId}`).set(bearer(current.token));
    expect(ownerRevokes.status).toBe(204);
  });

  it('cannot read back a stored rotation answer through its Idempotency-Key', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const post = () =>
      request(hub.app)
        .post(`/api/v2/partners/${partner.id}/tokens`)
        .set(bearer(token))
        .set('Idempotency-Key', 'rotate-1')
        .send({ grace_period_seconds: 3600 });
    expect((await post()).status).toBe(201);
    // `token` is now superseded: replaying would hand it the token that replaced it.
    const replay = await post();
    expect([replay.status, replay.body.error?.code]).toEqual([403, 'token_superseded']);
    expect(JSON.stringify(replay.body)).not.toContain('hubp_');
  });

  it('is refused the same way over tRPC', async () => {
    const { superseded, current } = await rotatedPartner();
    expect((await hub.trpc(superseded).tokens.list()).tokens).toHaveLength(2);
    await expect(hub.trpc(superseded).tokens.rotate({ grace_period_seconds: 60 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      cause: { code: 'token_superseded' },
    });
    await expect(
      hub.trpc(superseded, { idempotencyKey: 'k1' }).tokens.rotate({ grace_period_seconds: 60 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(hub.trpc(superseded).tokens.revoke({ token_id: current.record.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      cause: { code: 'token_superseded' },
    });
    expect(await expiryOf(current.record.id)).toBeNull();

    const res = await request(hub.app)
      .post('/trpc/tokens.rotate')
      .set(bearer(superseded))
      .send({ grace_period_seconds: 60 });
    expect([res.status, res.body.error.data.error_code]).toEqual([403, 'token_superseded']);
  });

  it('never gets a longer life from a later rotation', async () => {
    const { partner, superseded, current } = await rotatedPartner();
    const supersededId = (
      await hub.em().findOneOrFail(PartnerToken, { partner: partner.id, id: { $ne: current.record.id } })
    ).id;
    const before = await expiryOf(supersededId);
    const later = await hub.trpc(current.token).tokens.rotate({ grace_period_seconds: 30 * 24 * 3600 });
    expect(await expiryOf(supersededId)).toEqual(before);
    expect((await expiryOf(current.record.id))!.getTime()).toBe(Date.parse(later.previous_tokens_expire_at));
    expect((await hub.trpc(superseded).partner.me()).id).toBe(partner.id);
  });
});
