import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { UNMATCHED } from '../../server/modules/inbound/inbound-router.ts';
import { MetaWebhook } from '../../server/modules/inbound/meta-webhook.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { channelFactory, clientFactory, partnerFactory, permissionFactory } from '../support/factories.ts';
import { TEST_HUB_SECRET, useTestHub } from '../support/hub.ts';
import { runCli } from '../support/processes.ts';

describe('CLI: meta replay', () => {
  const hub = useTestHub();

  it('routes a kept payload once its channel exists; unknown options and bad ids are refused', async () => {
    const wabaId = `77${Date.now()}`;
    const raw = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: wabaId,
          changes: [{ field: 'account_review_update', value: { decision: 'APPROVED' } }],
        },
      ],
    });
    const res = await request(hub.app)
      .post('/meta/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signMetaBody(hub.deps.meta.appSecret, raw))
      .send(raw);
    expect(res.status).toBe(200);
    const [kept] = await hub.em().find(MetaWebhook, {}, { orderBy: { id: 'desc' }, limit: 1 });
    expect(kept).toMatchObject({ routedAt: null, error: UNMATCHED });

    const em = hub.em();
    const { partner } = await partnerFactory(em, hub.deps, 'Replay SaaS');
    const client = await clientFactory(em, partner);
    const channel = await channelFactory(em, (await em.findOneOrFail(Client, client.id)) as Client, {
      wabaId,
    });
    await permissionFactory(em, partner, channel);

    const env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: TEST_HUB_SECRET };
    const bad = await runCli(['meta', 'replay', '--waba', 'x; drop table'], env);
    expect(bad.code).not.toBe(0);
    const out = await runCli(['meta', 'replay', '--since', '1h', '--waba', wabaId, '--json'], env);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ considered: 1, routed: 1, events: 2 });
    expect(await hub.em().count(WebhookEvent, { channel: channel.id, type: 'account.review_updated' })).toBe(
      1,
    );
    expect(await hub.em().findOneOrFail(MetaWebhook, kept!.id)).toMatchObject({ error: null });
  });
});
