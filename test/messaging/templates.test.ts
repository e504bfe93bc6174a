import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../server/modules/channels/channel.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const TEMPLATE = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  components: [{ type: 'BODY', text: 'Your order {{1}} has shipped' }],
};

describe('templates through the messaging API (/waba/v1/configs/templates), reviewed in the sandbox', () => {
  const hub = useTestHub({}, { listen: true });
  let receiver: WebhookReceiver;
  let key: string;
  let channel: Channel;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'Template SaaS', {
      webhookUrl: `${receiver.url}/partner`,
    });
    ({ channel } = await onboardSandboxChannel(hub, partner));
    const created = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    key = created.body.api_key;
    return () => receiver.close();
  });

  const waba = () => ({
    get: (query: Record<string, string> = {}) =>
      request(hub.app).get('/waba/v1/configs/templates').query(query).set('D360-API-KEY', key),
    create: (body: object) =>
      request(hub.app).post('/waba/v1/configs/templates').set('D360-API-KEY', key).send(body),
    remove: (name: string) =>
      request(hub.app).delete(`/waba/v1/configs/templates/${name}`).set('D360-API-KEY', key),
  });
  const review = (id: string, body: object) =>
    fetch(`${hub.url}/sandbox/control/templates/${id}/review`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
      },
      body: JSON.stringify(body),
    });

  it('creates a template (PENDING), gets it approved with a status event to the partner, lists and deletes it', async () => {
    const created = await waba().create(TEMPLATE);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      status: 'PENDING',
      category: 'UTILITY',
    });
    const again = await waba().create(TEMPLATE);
    expect([again.status, again.body.error?.code]).toEqual([400, 100]);

    const pending = await waba().get();
    expect(pending.status).toBe(200);
    expect(pending.body.data).toEqual([
      expect.objectContaining({
        id: created.body.id,
        name: 'order_update',
        language: 'en_US',
        status: 'PENDING',
      }),
    ]);
    expect((await waba().get({ status: 'APPROVED' })).body.data).toEqual([]);

    expect((await review(created.body.id, { status: 'APPROVED' })).status).toBe(200);
    await hub.drainJobs();
    const statusEvent = async () => {
      for (let seen = 1; ; seen++) {
        const events = (await receiver.waitForRequests(seen, 10_000)).map(
          (r) => JSON.parse(r.rawBody) as { type: string; data: Record<string, unknown> },
        );
        const found = events.find((e) => e.type === 'template.status_updated');
        if (found) return found;
      }
    };
    expect((await statusEvent()).data).toMatchObject({
      channel_id: channel.id,
      event: 'APPROVED',
      template_id: created.body.id,
      template_name: 'order_update',
      template_language: 'en_US',
    });
    expect((await waba().get({ status: 'APPROVED', name: 'order' })).body.data).toHaveLength(1);

    const removed = await waba().remove('order_update');
    expect([removed.status, removed.body]).toEqual([200, { success: true }]);
    expect((await waba().get()).body.data).toEqual([]);
    const gone = await waba().remove('order_update');
    expect([gone.status, gone.body.error?.code]).toEqual([400, 100]);
  });

  it('a rejection carries Meta’s reason', async () => {
    const created = await waba().create({ ...TEMPLATE, name: 'promo_blast', category: 'MARKETING' });
    expect(
      (await review(created.body.id, { status: 'REJECTED', reason: 'TAG_CONTENT_MISMATCH' })).status,
    ).toBe(200);
    const listed = (await waba().get({ name: 'promo_blast' })).body.data;
    expect(listed).toEqual([
      expect.objectContaining({ status: 'REJECTED', rejected_reason: 'TAG_CONTENT_MISMATCH' }),
    ]);
    expect((await review('999999999', { status: 'APPROVED' })).status).toBe(404);
    expect((await review(created.body.id, { status: 'MAYBE' })).status).toBe(400);
  });

  it('refuses what Graph would not be sent: bad names, unknown filters, bodies that are not JSON', async () => {
    expect((await waba().remove('Not-A-Name')).status).toBe(400);
    expect((await waba().get({ foo: 'bar' })).status).toBe(400);
    const text = await request(hub.app)
      .post('/waba/v1/configs/templates')
      .set('D360-API-KEY', key)
      .set('content-type', 'text/plain')
      .send('name=x');
    expect(text.status).toBe(415);
    const missing = await waba().create({ name: 'no_components', language: 'en_US', category: 'UTILITY' });
    expect([missing.status, missing.body.error?.code]).toEqual([400, 100]);
    expect((await request(hub.app).get('/waba/v1/configs/templates')).status).toBe(401);
  });
});
