import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPartnerHubClient } from '../../client/src/index.ts';
import type { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { completeOnboardingLink } from '../support/onboarding.ts';
import { onboardSandboxChannel, sandboxControl, sandboxSignup } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { type ReceivedRequest, WebhookReceiver } from '../support/webhook-receiver.ts';
import { dataOf } from '../support/webhooks.ts';

const CHOSEN = 'tenant-42-shared-secret';

describe('scoped webhook endpoints, message events, chosen secrets and onboarding-session webhooks', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let token: string;
  let receiver: WebhookReceiver;
  let a: Channel;
  let sibling: Channel;
  let other: Channel;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const created = await partnerFactory(hub.em(), hub.deps, 'Scopes SaaS');
    token = created.token;
    partner = await hub.em().findOneOrFail(Partner, created.partner.id);
    a = (await onboardSandboxChannel(hub, partner)).channel;
    sibling = (await onboardSandboxChannel(hub, partner, { waba_id: a.wabaId })).channel;
    other = (await onboardSandboxChannel(hub, partner)).channel;
  });
  afterAll(() => receiver.close());

  const api = () => request(hub.app);
  const createEndpoint = (body: object) =>
    api().post(`/api/v2/partners/${partner.id}/webhook_endpoints`).set(bearer(token)).send(body);

  async function inbound(channel: Channel, text: string) {
    const res = await sandboxControl(hub, 'messages', {
      phone_number_id: channel.phoneNumberId,
      from: '4915100000009',
      text,
    });
    expect(res.status).toBe(200);
  }

  /** Sends one message to each channel and returns, per receiver path, the texts that arrived. */
  async function deliverOneEach(tag: string, paths: string[], expected: number) {
    const before = receiver.requests.length;
    for (const c of [a, sibling, other]) await inbound(c, `${tag}:${c.id}`);
    await hub.drainJobs();
    const got = (await receiver.waitForRequests(before + expected, 10_000)).slice(before);
    await hub.drainJobs();
    const textOf = (r: ReceivedRequest) =>
      JSON.parse(r.rawBody).entry[0].changes[0].value.messages[0].text.body as string;
    return Object.fromEntries(
      paths.map((p) => [
        p,
        got
          .filter((r) => r.path === p)
          .map(textOf)
          .sort(),
      ]),
    );
  }

  it('message.* reach endpoints that list them, scoped to a channel, a WABA or nothing', async () => {
    const all = await createEndpoint({ url: `${receiver.url}/all`, event_types: ['message.received'] });
    expect(all.status).toBe(201);
    const one = await createEndpoint({
      url: `${receiver.url}/one`,
      event_types: ['message.received'],
      channel_id: a.id,
    });
    expect(one.body).toMatchObject({ channel_id: a.id, waba_id: null });
    const waba = await hub.trpc(token).webhooks.endpoints.create({
      url: `${receiver.url}/waba`,
      event_types: ['message.received'],
      waba_id: a.wabaId,
    });
    expect(waba).toMatchObject({ channel_id: null, waba_id: a.wabaId });

    const got = await deliverOneEach('m1', ['/all', '/one', '/waba'], 3 + 1 + 2);
    expect(got['/all']).toEqual([`m1:${a.id}`, `m1:${sibling.id}`, `m1:${other.id}`].sort());
    expect(got['/one']).toEqual([`m1:${a.id}`]);
    expect(got['/waba']).toEqual([`m1:${a.id}`, `m1:${sibling.id}`].sort());

    for (const id of [all.body.id, one.body.id, waba.id]) {
      expect(
        (await api().delete(`/api/v2/partners/${partner.id}/webhook_endpoints/${id}`).set(bearer(token)))
          .status,
      ).toBe(204);
    }
  });

  it('signs with a chosen secret as typed (plain HMAC) and in whsec_ form (Standard Webhooks)', async () => {
    const res = await createEndpoint({
      url: `${receiver.url}/chosen`,
      event_types: ['message.received'],
      channel_id: other.id,
      secret: CHOSEN,
    });
    expect(res.status).toBe(201);
    expect(res.body.secret).toBe(CHOSEN);
    expect(res.body.standard_webhooks_secret).toBe(`whsec_${Buffer.from(CHOSEN).toString('base64')}`);
    const before = receiver.requests.length;
    await inbound(other, 'signed');
    await hub.drainJobs();
    const got = (await receiver.waitForRequests(before + 1, 10_000))
      .slice(before)
      .find((r) => r.path === '/chosen')!;
    expect(got.headers['x-hub-signature-256']).toBe(
      `sha256=${createHmac('sha256', CHOSEN).update(got.rawBody).digest('hex')}`,
    );
    expect(() =>
      new Webhook(res.body.standard_webhooks_secret).verify(
        got.rawBody,
        got.headers as Record<string, string>,
      ),
    ).not.toThrow();

    // A whsec_ secret of the partner's own is a Standard Webhooks secret, used as is; rotation takes one too.
    const whsec = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const rotated = await api()
      .post(`/api/v2/partners/${partner.id}/webhook_endpoints/${res.body.id}/rotate_secret`)
      .set(bearer(token))
      .send({ secret: whsec, grace_period_seconds: 0 });
    expect(rotated.body).toMatchObject({ secret: whsec, standard_webhooks_secret: whsec });
    await api().delete(`/api/v2/partners/${partner.id}/webhook_endpoints/${res.body.id}`).set(bearer(token));
  });

  it('refuses bad secrets and scopes with stable codes', async () => {
    const foreign = await partnerFactory(hub.em(), hub.deps, 'Foreign SaaS');
    const theirs = (
      await onboardSandboxChannel(hub, await hub.em().findOneOrFail(Partner, foreign.partner.id))
    ).channel;
    const url = `${receiver.url}/bad`;
    const cases: [object, number, string][] = [
      [{ url, secret: 'short' }, 400, 'validation_failed'],
      [{ url, secret: 'x'.repeat(257) }, 400, 'validation_failed'],
      [{ url, secret: 'has spaces in it, sixteen+' }, 400, 'validation_failed'],
      [{ url, secret: 'whsec_not*base64*at*all!!' }, 400, 'validation_failed'],
      [{ url, secret: `whsec_${Buffer.alloc(8).toString('base64')}` }, 400, 'validation_failed'],
      [{ url, channel_id: a.id, waba_id: a.wabaId }, 400, 'validation_failed'],
      [{ url, channel_id: theirs.id }, 404, 'not_found'],
      [{ url, waba_id: theirs.wabaId }, 404, 'not_found'],
      [{ url, event_types: ['message.nope'] }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await createEndpoint(body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    await expect(
      hub.trpc(token).webhooks.endpoints.create({ url, channel_id: theirs.id }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("an onboarding session's webhook becomes the new channel's endpoint, with its events and secret", async () => {
    const bad = await api()
      .post(`/api/v2/partners/${partner.id}/onboarding_sessions`)
      .set(bearer(token))
      .send({ tenant_id: 't-hook', webhook_url: `${receiver.url}/tenant` });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    const sdk = createPartnerHubClient({ baseUrl: hub.url, token, partnerId: partner.id });
    const session = await sdk.rest.onboardingSessions.create({
      tenant_id: 't-hook',
      webhook_url: `${receiver.url}/tenant`,
      webhook_secret: CHOSEN,
      webhook_events: ['message.received', 'message.status'],
    });
    expect(session).toMatchObject({
      webhook_url: `${receiver.url}/tenant`,
      webhook_events: ['message.received', 'message.status'],
      webhook_endpoint_id: null,
    });
    expect(JSON.stringify(session)).not.toContain(CHOSEN);

    const signup = await sandboxSignup(hub);
    const done = await completeOnboardingLink(hub, session.onboarding_url, signup);
    expect(done.status).toBe('completed');

    const finished = await sdk.rest.onboardingSessions.get(session.id);
    expect(finished.webhook_endpoint_id).toMatch(/^wep_/);
    const completed = await hub.em().find(WebhookEvent, { type: 'onboarding_session.completed' });
    expect(completed.map(dataOf)).toContainEqual(
      expect.objectContaining({ session_id: session.id, webhook_endpoint_id: finished.webhook_endpoint_id }),
    );
    const endpoint = await sdk.rest.api.webhooks.endpoints.get({
      endpoint_id: finished.webhook_endpoint_id!,
    });
    expect(endpoint).toMatchObject({
      url: `${receiver.url}/tenant`,
      channel_id: finished.channel_id,
      event_types: ['message.received', 'message.status'],
    });

    const before = receiver.requests.length;
    const tenantChannel = { id: finished.channel_id!, phoneNumberId: signup.phone_number_id } as Channel;
    await inbound(tenantChannel, 'for the tenant');
    await inbound(a, 'not for the tenant');
    await hub.drainJobs();
    await receiver.waitForRequests(before + 1, 10_000);
    await hub.drainJobs();
    const toTenant = receiver.requests.slice(before).filter((r) => r.path === '/tenant');
    expect(toTenant).toHaveLength(1);
    const got = toTenant[0]!;
    expect(JSON.parse(got.rawBody).entry[0].changes[0].value.messages[0].text.body).toBe('for the tenant');
    expect(got.headers['x-hub-signature-256']).toBe(
      `sha256=${createHmac('sha256', CHOSEN).update(got.rawBody).digest('hex')}`,
    );
  });
});
