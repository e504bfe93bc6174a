import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { WebhookDelivery } from '../../server/modules/webhooks/webhook-delivery.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';
import { dataOf } from '../support/webhooks.ts';

const hub = useTestHub();

describe('partner settings', () => {
  it('PATCH changes only the fields sent, normalises URLs, and records an audit row and partner.updated', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS', {
      webhookUrl: 'https://partner.example/webhooks',
    });
    const res = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(token))
      .send({
        brand_name: 'Acme',
        logo_url: 'https://cdn.acme.example/logo.png',
        partner_redirect_url: 'https://app.acme.example/whatsapp/done',
        allowed_redirect_urls: [
          'https://app.acme.example',
          'https://app.acme.example/',
          'https://eu.acme.example/cb',
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Acme SaaS',
      brand_name: 'Acme',
      logo_url: 'https://cdn.acme.example/logo.png',
      webhook_url: 'https://partner.example/webhooks',
      partner_redirect_url: 'https://app.acme.example/whatsapp/done',
      allowed_redirect_urls: ['https://app.acme.example/', 'https://eu.acme.example/cb'],
    });

    const em = hub.em();
    const audit = await em.find(AuditLog, { partner: partner.id, action: 'partner.updated' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'partner_token', targetId: partner.id });
    expect(audit[0]!.requestId).toBe(res.headers['x-request-id']);
    expect(audit[0]!.details).toEqual({
      changed_fields: ['brand_name', 'logo_url', 'partner_redirect_url', 'allowed_redirect_urls'],
    });
    const events = await em.find(WebhookEvent, { partner: partner.id, type: 'partner.updated' });
    expect(events.map(dataOf)).toEqual([
      {
        partner_id: partner.id,
        changed_fields: ['brand_name', 'logo_url', 'partner_redirect_url', 'allowed_redirect_urls'],
      },
    ]);
    const deliveries = await em.find(WebhookDelivery, { event: events[0]!.id });
    expect(deliveries.map((d) => [d.kind, d.url, d.status])).toEqual([
      ['partner_webhook', 'https://partner.example/webhooks', 'pending'],
    ]);
  });

  it('writes nothing for a PATCH that changes nothing', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const res = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(token))
      .send({ name: 'Acme SaaS' });
    expect(res.status).toBe(200);
    expect(await hub.em().count(WebhookEvent, { partner: partner.id })).toBe(0);
    expect(await hub.em().count(AuditLog, { partner: partner.id, action: 'partner.updated' })).toBe(0);
  });

  it('clears a URL with null', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const res = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(token))
      .send({ webhook_url: null });
    expect(res.body.webhook_url).toBeNull();
  });

  it.each([
    [{ webhook_url: 'http://partner.example/hooks' }, 'webhook_url must use https (or http to localhost)'],
    [{ webhook_url: 'not a url' }, 'webhook_url must be an absolute URL'],
    [
      { partner_redirect_url: 'https://user:pw@partner.example/' },
      'partner_redirect_url must not contain credentials',
    ],
    [
      { allowed_redirect_urls: ['https://ok.example', 'javascript:alert(1)'] },
      'allowed_redirect_urls[1] must use https (or http to localhost)',
    ],
    [
      { allowed_redirect_urls: Array.from({ length: 21 }, (_, i) => `https://x${i}.example`) },
      'Invalid body: allowed_redirect_urls',
    ],
    [{ name: '' }, 'Invalid body: name'],
    [{ unknown_field: 1 }, 'Invalid body'],
    [{ name: 42 }, 'Invalid body: name'],
  ])('rejects %j with 400 validation_failed', async (body, message) => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const res = await request(hub.app).patch(`/api/v2/partners/${partner.id}`).set(bearer(token)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toContain(message);
  });

  it('accepts http to localhost in development and test', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const res = await request(hub.app).patch(`/api/v2/partners/${partner.id}`).set(bearer(token)).send({
      webhook_url: 'http://localhost:4000/hooks',
      partner_redirect_url: 'http://127.0.0.1:3000/done',
    });
    expect(res.status).toBe(200);
    expect(res.body.webhook_url).toBe('http://localhost:4000/hooks');
  });

  it('is the same operation over tRPC', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    const updated = await hub.trpc(token).partner.update({ brand_name: 'Via tRPC' });
    expect(updated).toMatchObject({ id: partner.id, brand_name: 'Via tRPC' });
    expect((await hub.trpc(token).partner.me()).brand_name).toBe('Via tRPC');
    await expect(hub.trpc(token).partner.update({ webhook_url: 'ftp://x' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'webhook_url must use https (or http to localhost)',
    });
  });
});

describe('partner settings without localhost URLs', () => {
  const strict = useTestHub({ ALLOW_LOCALHOST_URLS: 'false' });

  it('rejects http to localhost when the setting is off', async () => {
    const { partner, token } = await partnerFactory(strict.em(), strict.deps);
    const res = await request(strict.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(token))
      .send({ webhook_url: 'http://localhost:4000/hooks' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('webhook_url must use https');
  });
});
