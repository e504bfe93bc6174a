import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChannelApiKey } from '../../server/modules/api-keys/channel-api-key.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { channelApiKeyFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, type PartnerWithChannel, partnerWithChannel } from '../support/scenarios.ts';

const hub = useTestHub();

/** `{"a":{"a":…1…}}`, `depth` objects deep. */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('request bodies on /api/v2 and /trpc', () => {
  let world: PartnerWithChannel;
  const base = () => `/api/v2/partners/${world.partner.id}`;

  beforeAll(async () => {
    world = await partnerWithChannel(hub);
  });

  describe('content types', () => {
    it('refuses a form-encoded body with 415 and changes nothing (curl -d without a JSON content type)', async () => {
      const old = await channelApiKeyFactory(hub.em(), world.partner, world.channel);
      const res = await request(hub.app)
        .post(`${base()}/channels/${world.channel.id}/api_keys`)
        .set(bearer(world.token))
        .type('form')
        .send('{"grace_period_seconds":3600}');
      expect([res.status, res.body.error?.code]).toEqual([415, 'unsupported_media_type']);
      const stored = await hub.em().findOneOrFail(ChannelApiKey, old.record.id);
      expect(stored.revokedAt).toBeNull();
      expect(stored.expiresAt).toBeNull();
      expect(await hub.em().count(ChannelApiKey, { channel: world.channel.id })).toBe(1);
    });

    it('refuses a text/plain PATCH with 415', async () => {
      const res = await request(hub.app)
        .patch(base())
        .set(bearer(world.token))
        .set('Content-Type', 'text/plain')
        .send('{"name":"Renamed"}');
      expect([res.status, res.body.error?.code]).toEqual([415, 'unsupported_media_type']);
      expect((await hub.em().findOneOrFail(Partner, world.partner.id)).name).toBe('Acme SaaS');
    });

    it('still accepts JSON with a charset, and bodiless POSTs', async () => {
      const patched = await request(hub.app)
        .patch(base())
        .set(bearer(world.token))
        .set('Content-Type', 'application/json; charset=utf-8')
        .send('{"brand_name":"Acme"}');
      expect(patched.status).toBe(200);
      const bodiless = await request(hub.app).post(`${base()}/tokens`).set(bearer(world.token));
      expect(bodiless.status).toBe(201);
      world.token = bodiless.body.token;
    });

    it.each([
      ['text/plain', 'text/plain'],
      ['form encoding', 'application/x-www-form-urlencoded'],
      ['no content type', undefined],
    ])('answers a tRPC POST with %s with 415 unsupported_media_type', async (_label, type) => {
      let req = request(hub.app).post('/trpc/tokens.list').set(bearer(world.token));
      if (type) req = req.set('Content-Type', type);
      // superagent would pick a content type for a string body: write raw bytes instead.
      const res = await req.send(Buffer.from('{}'));
      expect(res.status).toBe(415);
      expect(res.body.error.data).toMatchObject({ error_code: 'unsupported_media_type', httpStatus: 415 });
    });
  });

  describe('nesting depth', () => {
    it('refuses a 20,000-deep REST body with an Idempotency-Key with 400, not a 500', async () => {
      const res = await request(hub.app)
        .post(`${base()}/onboarding_sessions`)
        .set(bearer(world.token))
        .set('Idempotency-Key', 'deep-1')
        .set('Content-Type', 'application/json')
        .send(`{"tenant_id":"t","metadata":${nested(20_000)}}`);
      expect([res.status, res.body.error?.code]).toEqual([400, 'validation_failed']);
      expect(res.body.error.message).toMatch(/nested/);
    });

    it('refuses a 20,000-deep tRPC input with 400 validation_failed', async () => {
      const res = await request(hub.app)
        .post('/trpc/onboarding.create')
        .set(bearer(world.token))
        .set('Idempotency-Key', 'deep-2')
        .set('Content-Type', 'application/json')
        .send(`{"tenant_id":"t","metadata":${nested(20_000)}}`);
      expect(res.status).toBe(400);
      expect(res.body.error.data.error_code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(/nested/);
    });

    it('accepts ordinary nesting', async () => {
      const res = await request(hub.app)
        .post(`${base()}/onboarding_sessions`)
        .set(bearer(world.token))
        .set('Idempotency-Key', 'shallow-1')
        .set('Content-Type', 'application/json')
        .send(`{"tenant_id":"t","metadata":${nested(10)}}`);
      expect(res.status).toBe(201);
    });
  });
});
