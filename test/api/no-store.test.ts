import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { setWebhookUrl } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, type PartnerWithChannel, partnerWithChannel } from '../support/scenarios.ts';

const hub = useTestHub();

/** Answers that carry credentials must never sit in a cache; API answers are never cacheable, so all of them say so. */
describe('Cache-Control: no-store on API responses', () => {
  let world: PartnerWithChannel;
  const base = () => `/api/v2/partners/${world.partner.id}`;
  const expectNoStore = (res: request.Response) => {
    expect(res.headers['cache-control'], `${res.status} ${res.text.slice(0, 100)}`).toBe('no-store');
  };

  beforeAll(async () => {
    world = await partnerWithChannel(hub);
    await setWebhookUrl(hub.em(), world.partner, 'https://partner.example/hooks');
  });

  it('on REST answers carrying a token, an API key, a webhook secret or an onboarding URL', async () => {
    const post = (path: string, body: object = {}) =>
      request(hub.app).post(`${base()}${path}`).set(bearer(world.token)).send(body);
    const key = await post(`/channels/${world.channel.id}/api_keys`);
    expect(key.body.api_key).toMatch(/^hubk_/);
    expectNoStore(key);
    const secret = await post('/webhook_endpoints/primary/rotate_secret');
    expect(secret.status).toBe(200);
    expectNoStore(secret);
    const session = await post('/onboarding_sessions', { tenant_id: 't' });
    expect(session.body.onboarding_url).toBeDefined();
    expectNoStore(session);
    const listed = await request(hub.app).get(`${base()}/onboarding_sessions`).set(bearer(world.token));
    expectNoStore(listed);
    const token = await post('/tokens', { grace_period_seconds: 3600 });
    expect(token.body.token).toMatch(/^hubp_/);
    expectNoStore(token);
    // The rotation superseded world.token, which may no longer manage tokens.
    world.token = token.body.token;
  });

  it('on tRPC answers, errors and batches', async () => {
    const rotated = await request(hub.app)
      .post('/trpc/tokens.rotate')
      .set(bearer(world.token))
      .set('Content-Type', 'application/json')
      .send({ grace_period_seconds: 3600 });
    expect(rotated.body.result.data.token).toMatch(/^hubp_/);
    expectNoStore(rotated);
    expectNoStore(
      await request(hub.app).get('/trpc/partner.me,tokens.list?batch=1').set(bearer(world.token)),
    );
    expectNoStore(await request(hub.app).get('/trpc/partner.me'));
  });

  it('on REST errors', async () => {
    expectNoStore(await request(hub.app).get(base()));
    expectNoStore(await request(hub.app).get('/api/v2/nowhere'));
  });
});
