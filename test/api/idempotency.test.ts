import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { ChannelApiKey } from '../../server/modules/api-keys/channel-api-key.entity.ts';
import { IdempotencyKey } from '../../server/modules/idempotency/idempotency-key.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { idempotencyKeyFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';

const hub = useTestHub();

describe('Idempotency-Key', () => {
  it('replays the stored response for the same key and body, and refuses the key with another body', async () => {
    const { partner, token, channel } = await partnerWithChannel(hub);
    const path = `/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`;
    const first = await request(hub.app)
      .post(path)
      .set(bearer(token))
      .set('Idempotency-Key', 'create-1')
      .send({ grace_period_seconds: 0 });
    const replay = await request(hub.app)
      .post(path)
      .set(bearer(token))
      .set('Idempotency-Key', 'create-1')
      .send({ grace_period_seconds: 0 });
    expect(first.status).toBe(201);
    expect([replay.status, replay.body]).toEqual([201, first.body]);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await hub.em().count(ChannelApiKey, { channel: channel.id })).toBe(1);
    // The stored response holds the new key: it is sealed at rest, never plaintext.
    const [row] = await query<{ body: string }>(
      hub.em(),
      'select response_body::text as body from idempotency_keys where key = ?',
      ['create-1'],
    );
    expect(row?.body).toMatch(/^\{"sealed": "v1\./);
    expect(row?.body).not.toContain(first.body.api_key);

    const reused = await request(hub.app)
      .post(path)
      .set(bearer(token))
      .set('Idempotency-Key', 'create-1')
      .send({ grace_period_seconds: 60 });
    expect([reused.status, reused.body.error.code]).toEqual([422, 'idempotency_key_reused']);
    const otherPath = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(token))
      .set('Idempotency-Key', 'create-1');
    expect([otherPath.status, otherPath.body.error.code]).toEqual([422, 'idempotency_key_reused']);
  });

  it('creates exactly one key for 10 parallel identical POSTs', async () => {
    const { partner, token, channel } = await partnerWithChannel(hub);
    const path = `/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(hub.app).post(path).set(bearer(token)).set('Idempotency-Key', 'burst').send({}),
      ),
    );
    const created = responses.filter((r) => r.status === 201);
    const inProgress = responses.filter((r) => r.status === 409);
    expect(created.length + inProgress.length).toBe(10);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of inProgress) expect(r.body.error.code).toBe('idempotency_key_in_progress');
    expect(await hub.em().count(ChannelApiKey, { channel: channel.id })).toBe(1);
    expect(await hub.em().count(WebhookEvent, { partner: partner.id, type: 'api_key.created' })).toBe(1);
  });

  it('answers 409 while the first request is in flight, and lets a retry take over an abandoned one', async () => {
    const { partner, token, channel } = await partnerWithChannel(hub);
    const path = `/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`;
    const first = await request(hub.app)
      .post(path)
      .set(bearer(token))
      .set('Idempotency-Key', 'crashy')
      .send({});
    // Simulate a process that died after claiming the key: the response was never stored.
    const row = await hub.em().findOneOrFail(IdempotencyKey, { partner: partner.id, key: 'crashy' });
    await hub.em().nativeUpdate(IdempotencyKey, { id: row.id }, { responseStatus: null, responseBody: null });
    const busy = await request(hub.app)
      .post(path)
      .set(bearer(token))
      .set('Idempotency-Key', 'crashy')
      .send({});
    expect([busy.status, busy.body.error.code]).toEqual([409, 'idempotency_key_in_progress']);
    hub.clock.advance(61_000);
    const retried = await request(hub.app)
      .post(path)
      .set(bearer(token))
      .set('Idempotency-Key', 'crashy')
      .send({});
    expect(retried.status).toBe(201);
    expect(retried.body.id).not.toBe(first.body.id);
  });

  it('stores client errors as the outcome, and forgets keys after 24 h', async () => {
    const { partner, token } = await partnerWithChannel(hub);
    const path = `/api/v2/partners/${partner.id}/channels/chn_missing/api_keys`;
    const miss = await request(hub.app)
      .post(path)
      .set(bearer(token))
      .set('Idempotency-Key', 'k-404')
      .send({});
    const replay = await request(hub.app)
      .post(path)
      .set(bearer(token))
      .set('Idempotency-Key', 'k-404')
      .send({});
    expect([miss.status, replay.status, replay.headers['idempotent-replayed']]).toEqual([404, 404, 'true']);
    expect(replay.body).toEqual(miss.body);

    await idempotencyKeyFactory(hub.em(), partner, {
      key: 'old',
      expiresAt: new Date(hub.clock.now().getTime() - 1),
    });
    const rotated = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(token))
      .set('Idempotency-Key', 'old');
    expect(rotated.status).toBe(201);
  });

  it('rejects a malformed key', async () => {
    const { partner, token } = await partnerWithChannel(hub);
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/tokens`)
      .set(bearer(token))
      .set('Idempotency-Key', 'x'.repeat(256));
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
  });

  it('applies to tRPC mutations too', async () => {
    const { token, channel } = await partnerWithChannel(hub);
    const trpc = hub.trpc(token, { idempotencyKey: 'trpc-1' });
    const a = await trpc.apiKeys.create({ channel_id: channel.id });
    const b = await trpc.apiKeys.create({ channel_id: channel.id });
    expect(b).toEqual(a);
    await expect(
      trpc.apiKeys.create({ channel_id: channel.id, grace_period_seconds: 5 }),
    ).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
    });
    expect(await hub.em().count(ChannelApiKey, { channel: channel.id })).toBe(1);
  });
});
