import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateToken, TOKEN_PREFIXES } from '../../server/crypto/tokens.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { rotatePartnerToken } from '../../server/modules/partners/partner-tokens.service.ts';
import { PartnerViewSchema } from '../../shared/schemas/partner.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

describe('partner authentication', () => {
  let partner: Partner;
  let token: string;
  let otherPartner: Partner;

  beforeAll(async () => {
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps));
    ({ partner: otherPartner } = await partnerFactory(hub.em(), hub.deps, 'Other SaaS'));
  });

  describe('REST GET /api/v2/partners/{partner_id}', () => {
    it('answers the partner for Authorization: Bearer', async () => {
      const res = await request(hub.app)
        .get(`/api/v2/partners/${partner.id}`)
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(PartnerViewSchema.parse(res.body)).toMatchObject({
        id: partner.id,
        name: 'Acme SaaS',
        partner_redirect_url: 'https://partner.example/callback',
        allowed_redirect_urls: [],
        webhook_url: null,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/whsec_|webhook_secret|token_hash/);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers the partner for X-API-Key', async () => {
      const res = await request(hub.app).get(`/api/v2/partners/${partner.id}`).set('X-API-Key', token);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(partner.id);
    });

    // Headers are built lazily: the token only exists once beforeAll has run.
    it.each([
      ['no credentials', () => ({})],
      ['a malformed Authorization header', () => ({ Authorization: `Basic ${token}` })],
      [
        'a token with a bad checksum',
        () => ({ Authorization: `Bearer ${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}` }),
      ],
      [
        'a well-formed token that was never issued',
        () => ({ Authorization: `Bearer ${generateToken(TOKEN_PREFIXES.partnerToken)}` }),
      ],
      ['a channel API key', () => ({ 'X-API-Key': generateToken(TOKEN_PREFIXES.channelApiKey) })],
    ])('refuses %s with 401 unauthorized', async (_label, headers) => {
      const res = await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(headers());
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    });

    it("refuses another partner's id with 403 forbidden and shows nothing of it", async () => {
      const res = await request(hub.app)
        .get(`/api/v2/partners/${otherPartner.id}`)
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(JSON.stringify(res.body)).not.toContain('Other SaaS');
    });

    it('answers unknown routes and bad bodies with stable codes, never a 500', async () => {
      const unknown = await request(hub.app)
        .get(`/api/v2/partners/${partner.id}/nothing-here`)
        .set('X-API-Key', token);
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
      const badJson = await request(hub.app)
        .patch(`/api/v2/partners/${partner.id}`)
        .set('X-API-Key', token)
        .set('Content-Type', 'application/json')
        .send('{"name": ');
      expect([badJson.status, badJson.body.error.code]).toEqual([400, 'invalid_json']);
      const tooLarge = await request(hub.app)
        .patch(`/api/v2/partners/${partner.id}`)
        .set('X-API-Key', token)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(300 * 1024) }));
      expect([tooLarge.status, tooLarge.body.error.code]).toEqual([413, 'payload_too_large']);
    });
  });

  describe('tRPC partner.me', () => {
    it('answers over HTTP with the same token and the same wire format as REST', async () => {
      const res = await request(hub.app).get('/trpc/partner.me').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      const rest = await request(hub.app).get(`/api/v2/partners/${partner.id}`).set('X-API-Key', token);
      expect(res.body.result.data).toEqual(rest.body);
    });

    it('answers 401 with the stable code over HTTP', async () => {
      const res = await request(hub.app).get('/trpc/partner.me').set('X-API-Key', 'hubp_nope');
      expect(res.status).toBe(401);
      expect(res.body.error.data).toMatchObject({
        code: 'UNAUTHORIZED',
        error_code: 'unauthorized',
        httpStatus: 401,
      });
      expect(JSON.stringify(res.body)).not.toContain('stack');
    });

    it('answers through the in-process caller', async () => {
      expect((await hub.trpc(token).partner.me()).id).toBe(partner.id);
      await expect(hub.trpc(undefined).partner.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    });
  });

  describe('token rotation', () => {
    it('keeps the old token for the grace window, then refuses it; the new one works at once', async () => {
      const { partner: p, token: oldToken } = await partnerFactory(hub.em(), hub.deps, 'Rotating SaaS');
      const actor = { type: 'operator' as const, id: 'test' };
      const { token: newToken } = await rotatePartnerToken(hub.em(), hub.clock, p, actor, 3600);
      expect((await hub.trpc(oldToken).partner.me()).id).toBe(p.id);
      expect((await hub.trpc(newToken).partner.me()).id).toBe(p.id);
      hub.clock.advance(3600 * 1000 + 1);
      await expect(hub.trpc(oldToken).partner.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      expect((await hub.trpc(newToken).partner.me()).id).toBe(p.id);

      const audit = await hub.em().find(AuditLog, { partner: p.id, action: 'partner_token.rotated' });
      expect(audit).toHaveLength(1);
      expect(audit[0]!.details).toMatchObject({ grace_period_seconds: 3600 });
      expect(JSON.stringify(audit[0])).not.toContain(newToken);
    });

    it('ends the old token immediately with a grace of 0', async () => {
      const { partner: p, token: oldToken } = await partnerFactory(hub.em(), hub.deps, 'Strict SaaS');
      await rotatePartnerToken(hub.em(), hub.clock, p, { type: 'operator', id: 'test' }, 0);
      await expect(hub.trpc(oldToken).partner.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    });
  });
});
