import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  channelApiKeyFactory,
  partnerTokenFactory,
  webhookAttemptFactory,
  webhookDeliveryFactory,
  webhookEventFactory,
} from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer, partnerWithChannel } from '../support/scenarios.ts';

const hub = useTestHub({ WEBHOOK_MANUAL_RESENDS_MAX: '2' });

/** Follows `next_cursor` with `limit=2` and returns the pages' ids. */
async function walk(token: string, path: string, field: string): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const res: request.Response = await request(hub.app)
      .get(path)
      .query({ limit: 2, ...(cursor ? { cursor } : {}) })
      .set(bearer(token));
    expect(res.status, res.text).toBe(200);
    pages.push(res.body[field].map((row: { id: string }) => row.id));
    cursor = res.body.next_cursor;
  } while (cursor && pages.length < 10);
  return pages;
}

describe('tokens, API keys and attempts are paginated', () => {
  it('pages partner tokens newest first, over REST and tRPC', async () => {
    const setup = await partnerWithChannel(hub);
    await partnerTokenFactory(hub.em(), setup.partner);
    await partnerTokenFactory(hub.em(), setup.partner);
    const all = (await hub.trpc(setup.token).tokens.list()).tokens.map((t) => t.id);
    expect(all).toHaveLength(3);
    const pages = await walk(setup.token, `/api/v2/partners/${setup.partner.id}/tokens`, 'tokens');
    expect(pages).toEqual([all.slice(0, 2), all.slice(2)]);
    const first = await hub.trpc(setup.token).tokens.list({ limit: 2 });
    expect(first.tokens.map((t) => t.id)).toEqual(all.slice(0, 2));
    const second = await hub.trpc(setup.token).tokens.list({ limit: 2, cursor: first.next_cursor! });
    expect([second.tokens.map((t) => t.id), second.next_cursor]).toEqual([all.slice(2), null]);
  });

  it("pages a channel's API keys newest first, over REST and tRPC", async () => {
    const { partner, channel, token } = await partnerWithChannel(hub);
    for (let i = 0; i < 3; i++) await channelApiKeyFactory(hub.em(), partner, channel);
    const all = (await hub.trpc(token).apiKeys.list({ channel_id: channel.id })).api_keys.map((k) => k.id);
    expect(all).toHaveLength(3);
    const path = `/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`;
    expect(await walk(token, path, 'api_keys')).toEqual([all.slice(0, 2), all.slice(2)]);
    const page = await hub.trpc(token).apiKeys.list({ channel_id: channel.id, limit: 2 });
    expect([page.api_keys.length, typeof page.next_cursor]).toEqual([2, 'string']);
  });

  it("pages a delivery's attempts oldest first, over REST and tRPC", async () => {
    const { partner, token } = await partnerWithChannel(hub);
    const delivery = await webhookDeliveryFactory(hub.em(), await webhookEventFactory(hub.em(), partner));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await webhookAttemptFactory(hub.em(), delivery)).id);
    ids.sort();
    const path = `/api/v2/partners/${partner.id}/deliveries/${delivery.id}/attempts`;
    expect(await walk(token, path, 'attempts')).toEqual([ids.slice(0, 2), ids.slice(2)]);
    const page = await hub.trpc(token).webhooks.deliveries.attempts({ delivery_id: delivery.id, limit: 2 });
    const rest = await hub.trpc(token).webhooks.deliveries.attempts({
      delivery_id: delivery.id,
      cursor: page.next_cursor!,
    });
    expect([...page.attempts, ...rest.attempts].map((a) => a.id)).toEqual(ids);
  });

  it('refuses a cursor of another kind', async () => {
    const { partner, token } = await partnerWithChannel(hub);
    const res = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/tokens`)
      .query({ cursor: Buffer.from(partner.id).toString('base64url') })
      .set(bearer(token));
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
  });
});

describe('manual resends', () => {
  it('are capped per delivery: over the cap is 409 resend_limit_reached, over REST and tRPC', async () => {
    const { partner, token } = await partnerWithChannel(hub);
    const delivery = await webhookDeliveryFactory(hub.em(), await webhookEventFactory(hub.em(), partner));
    // Scheduled attempts do not count; manual ones do.
    await webhookAttemptFactory(hub.em(), delivery);
    for (let i = 0; i < 2; i++) await webhookAttemptFactory(hub.em(), delivery, { trigger: 'manual' });
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/deliveries/${delivery.id}/resend`)
      .set(bearer(token))
      .send({});
    expect([res.status, res.body.error?.code]).toEqual([409, 'resend_limit_reached']);
    expect(res.body.error.details).toEqual({ max_manual_resends: 2 });
    await expect(
      hub.trpc(token).webhooks.deliveries.resend({ delivery_id: delivery.id }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      cause: { code: 'resend_limit_reached' },
    });
  });

  it('are allowed below the cap', async () => {
    const { partner, token } = await partnerWithChannel(hub);
    const delivery = await webhookDeliveryFactory(hub.em(), await webhookEventFactory(hub.em(), partner));
    await webhookAttemptFactory(hub.em(), delivery, { trigger: 'manual' });
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/deliveries/${delivery.id}/resend`)
      .set(bearer(token))
      .send({});
    expect(res.status).toBe(200);
  });
});
