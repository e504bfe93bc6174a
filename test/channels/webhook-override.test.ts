import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPartnerHubClient } from '../../client/src/index.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { channelSecretContext } from '../../server/modules/channels/channel-secrets.ts';
import { provisionChannel } from '../../server/modules/channels/provisioning.service.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { createClient } from '../../server/modules/clients/clients.service.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { grantPermission } from '../../server/modules/permissions/permissions.service.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { completeOnboardingLink } from '../support/onboarding.ts';
import {
  onboardSandboxChannel,
  type SandboxSignup,
  sandboxControl,
  sandboxSignup,
  TEST_ACTOR,
} from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { dataOf } from '../support/webhooks.ts';

const FAILURE = 'https://partner.example/failed';

/** A tenant's own Meta webhook: answers Meta's verification for its token, records what Meta posts. */
function tenantWebhook() {
  const posts: { path: string; body: { entry: { changes: { field: string; value: unknown }[] }[] } }[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (req.method === 'GET') {
      if (url.searchParams.get('hub.verify_token') !== 'tenant-token') return res.writeHead(403).end();
      return res.writeHead(200).end(url.searchParams.get('hub.challenge') ?? '');
    }
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      posts.push({ path: url.pathname, body: JSON.parse(raw) });
      res.writeHead(200).end('ok');
    });
  });
  return new Promise<{ url: string; posts: typeof posts; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        posts,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

describe('override channels: routing, monitoring, siblings and changes', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let token: string;
  let tenant: Awaited<ReturnType<typeof tenantWebhook>>;

  beforeAll(async () => {
    tenant = await tenantWebhook();
    const em = hub.em();
    const created = await partnerFactory(em, hub.deps, 'Override SaaS');
    token = created.token;
    partner = await em.findOneOrFail(Partner, created.partner.id);
    partner.allowedRedirectUrls = [FAILURE];
    await em.flush();
  });
  afterAll(() => tenant.close());

  const control = (path: string, body: object) => sandboxControl(hub, path, body);

  /** Runs an onboarding session through the hosted page with this signup; returns the completion. */
  async function onboard(signup: SandboxSignup, session: object) {
    const created = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/onboarding_sessions`)
      .set(bearer(token))
      .send({ failure_redirect_url: FAILURE, ...session });
    expect(created.status).toBe(201);
    return completeOnboardingLink(hub, created.body.onboarding_url, signup);
  }

  const overridden = (tenantId: string, hookPath = '/hook') => ({
    tenant_id: tenantId,
    webhook_override_url: `${tenant.url}${hookPath}`,
    webhook_verify_token: 'tenant-token',
  });

  async function subscriptionOf(channelId: string) {
    const channel = await hub.em().findOneOrFail(Channel, channelId);
    const metaToken = hub.deps.secretBox.decrypt(
      channel.metaTokenSealed!,
      channelSecretContext(channel.id, 'meta_token'),
    );
    const res = await fetch(
      `${hub.url}/sandbox/graph/v23.0/${channel.wabaId}/subscribed_apps?access_token=${metaToken}`,
    );
    return ((await res.json()) as { data: { override_callback_uri?: string }[] }).data;
  }

  const channelOf = (signup: SandboxSignup) =>
    hub.em().findOneOrFail(Channel, { phoneNumberId: signup.phone_number_id });

  it('messages go to the tenant, the hub still hears account_update: PARTNER_REMOVED disconnects it', async () => {
    const signup = await sandboxSignup(hub);
    expect((await onboard(signup, overridden('t-removed'))).status).toBe('completed');
    const channel = await channelOf(signup);

    const view = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels/${channel.id}`)
      .set(bearer(token));
    expect(view.body).toMatchObject({ webhook_overridden: true, webhook_override_url: `${tenant.url}/hook` });
    // Monitored like any channel: the messages reach the tenant, so it can receive.
    const health = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels/${channel.id}/health`)
      .set(bearer(token));
    expect(health.body).toMatchObject({
      can_receive_messages: true,
      webhook_overridden: true,
      webhook_configured: false,
    });
    expect(health.body.reasons).not.toContain('webhook_not_configured');

    const sent = await control('messages', {
      phone_number_id: signup.phone_number_id,
      from: '4915100000001',
      text: 'hi',
    });
    expect(await sent.json()).toMatchObject({ delivered: true, url: `${tenant.url}/hook` });
    expect(tenant.posts.at(-1)!.body.entry[0]!.changes[0]!.field).toBe('messages');

    const postsBefore = tenant.posts.length;
    const removed = await control('account_update', { waba_id: signup.waba_id, event: 'PARTNER_REMOVED' });
    expect(await removed.json()).toMatchObject({ delivered: true, url: `${hub.url}/meta/webhook` });
    expect(tenant.posts.length).toBe(postsBefore);
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      status: 'disconnected',
      statusReason: 'PARTNER_REMOVED',
    });
    const events = await hub.em().find(WebhookEvent, { channel: channel.id, type: 'channel.updated' });
    expect(events.map(dataOf)).toContainEqual(expect.objectContaining({ status: 'disconnected' }));
  });

  it('one override per WABA: a sibling with another override (or none) fails with waba_override_conflict', async () => {
    const first = await sandboxSignup(hub);
    expect((await onboard(first, overridden('t-first'))).status).toBe('completed');
    const firstChannel = await channelOf(first);

    for (const session of [overridden('t-other', '/other-hook'), { tenant_id: 't-plain' }]) {
      const sibling = await sandboxSignup(hub, { waba_id: first.waba_id });
      expect(sibling.waba_id).toBe(first.waba_id);
      const failed = await onboard(sibling, session);
      expect(failed.status).toBe('failed');
      expect(Object.fromEntries(new URL(failed.redirect_url!).searchParams)).toMatchObject({
        error: 'waba_override_conflict',
      });
      // Nothing was asked of Meta: the WABA still points at the first tenant.
      expect((await subscriptionOf(firstChannel.id)).map((d) => d.override_callback_uri)).toEqual([
        `${tenant.url}/hook`,
      ]);
    }

    const same = await sandboxSignup(hub, { waba_id: first.waba_id });
    expect((await onboard(same, overridden('t-same'))).status).toBe('completed');
    const siblings = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels?waba_id=${first.waba_id}`)
      .set(bearer(token));
    expect(siblings.body.channels.map((c: { phone_number_id: string }) => c.phone_number_id).sort()).toEqual(
      [first.phone_number_id, same.phone_number_id].sort(),
    );
    expect(
      siblings.body.channels.every(
        (c: { webhook_override_url: string }) => c.webhook_override_url === `${tenant.url}/hook`,
      ),
    ).toBe(true);
  });

  it('two signups into one WABA at the same moment with different overrides: one wins, one gets the 409', async () => {
    const first = await sandboxSignup(hub);
    const second = await sandboxSignup(hub, { waba_id: first.waba_id });
    const em = hub.em();
    const owner = await em.findOneOrFail(Partner, partner.id);
    const client = await createClient(em, hub.clock, owner, { name: 'Race Bakery' }, TEST_ACTOR);
    const withClient = await em.findOneOrFail(Client, client.id, { populate: ['partner'] });
    const attempt = (signup: SandboxSignup, path: string) =>
      provisionChannel(
        hub.em(),
        hub.deps,
        {
          client: withClient,
          code: signup.code,
          wabaId: signup.waba_id,
          phoneNumberId: signup.phone_number_id,
          webhookOverride: { callbackUri: `${tenant.url}${path}`, verifyToken: 'tenant-token' },
        },
        TEST_ACTOR,
      );
    const outcomes = await Promise.allSettled([attempt(first, '/race-a'), attempt(second, '/race-b')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'waba_override_conflict' });
    const won = (
      outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<{ channel: Channel }>
    ).value.channel;
    expect((await subscriptionOf(won.id)).map((d) => d.override_callback_uri)).toEqual([
      won.webhookOverrideUrl,
    ]);
  });

  it('PATCH moves the override after a preflight, for every sibling, over REST, tRPC and the SDK', async () => {
    const first = await sandboxSignup(hub);
    expect((await onboard(first, overridden('t-patch'))).status).toBe('completed');
    const second = await sandboxSignup(hub, { waba_id: first.waba_id });
    expect((await onboard(second, overridden('t-patch-2'))).status).toBe('completed');
    const [a, b] = [await channelOf(first), await channelOf(second)];
    const patch = (channelId: string, body: object) =>
      request(hub.app)
        .patch(`/api/v2/partners/${partner.id}/channels/${channelId}`)
        .set(bearer(token))
        .send(body);

    const missingToken = await patch(a.id, { webhook_override_url: `${tenant.url}/moved` });
    expect([missingToken.status, missingToken.body.error.code]).toEqual([400, 'validation_failed']);
    const refused = await patch(a.id, {
      webhook_override_url: `${tenant.url}/moved`,
      webhook_verify_token: 'wrong-token',
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'webhook_preflight_failed']);
    const unreachable = await patch(a.id, {
      webhook_override_url: 'http://127.0.0.1:9/hook',
      webhook_verify_token: 'tenant-token',
    });
    expect([unreachable.status, unreachable.body.error.code]).toEqual([422, 'webhook_preflight_failed']);
    expect((await subscriptionOf(a.id)).map((d) => d.override_callback_uri)).toEqual([`${tenant.url}/hook`]);

    const moved = await patch(a.id, {
      webhook_override_url: `${tenant.url}/moved`,
      webhook_verify_token: 'tenant-token',
      metadata: { plan: 'gold' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      webhook_override_url: `${tenant.url}/moved`,
      metadata: { plan: 'gold' },
    });
    expect((await subscriptionOf(a.id)).map((d) => d.override_callback_uri)).toEqual([`${tenant.url}/moved`]);
    expect((await hub.em().findOneOrFail(Channel, b.id)).webhookOverrideUrl).toBe(`${tenant.url}/moved`);
    for (const id of [a.id, b.id]) {
      const updates = await hub.em().find(WebhookEvent, { channel: id, type: 'channel.updated' });
      expect(updates.map(dataOf)).toContainEqual(
        expect.objectContaining({ changed_fields: ['webhook_override_url'] }),
      );
    }
    const sent = await control('messages', {
      phone_number_id: second.phone_number_id,
      from: '4915100000002',
      text: 'hi',
    });
    expect(await sent.json()).toMatchObject({ url: `${tenant.url}/moved` });

    // Back to the hub over tRPC; then a new override through the SDK.
    const back = await hub.trpc(token).channels.update({ channel_id: b.id, webhook_override_url: null });
    expect(back).toMatchObject({ webhook_overridden: false, webhook_override_url: null });
    const toHub = await control('messages', {
      phone_number_id: first.phone_number_id,
      from: '4915100000003',
      text: 'hi',
    });
    expect(await toHub.json()).toMatchObject({ url: `${hub.url}/meta/webhook` });
    const health = await hub.trpc(token).channels.health({ channel_id: a.id });
    expect(health).toMatchObject({ webhook_overridden: false, can_receive_messages: false });
    expect(health.reasons).toContain('webhook_not_configured');

    const sdk = createPartnerHubClient({ baseUrl: hub.url, token, partnerId: partner.id });
    const again = await sdk.rest.channels.update(a.id, {
      webhook_override_url: `${tenant.url}/hook`,
      webhook_verify_token: 'tenant-token',
    });
    expect(again.webhook_override_url).toBe(`${tenant.url}/hook`);
  });

  it("only the client's own partner may change it; others see neither the URL nor a way in", async () => {
    const { channel } = await onboardSandboxChannel(hub, partner);
    const other = await partnerFactory(hub.em(), hub.deps, 'Other SaaS');
    const otherPartner = await hub.em().findOneOrFail(Partner, other.partner.id);
    await grantPermission(
      hub.em(),
      hub.clock,
      otherPartner,
      await hub.em().findOneOrFail(Channel, channel.id),
      TEST_ACTOR,
    );
    const body = { webhook_override_url: `${tenant.url}/hook`, webhook_verify_token: 'tenant-token' };

    const foreign = await request(hub.app)
      .patch(`/api/v2/partners/${other.partner.id}/channels/${channel.id}`)
      .set(bearer(other.token))
      .send(body);
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'forbidden']);
    const crossTenant = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}/channels/${channel.id}`)
      .set(bearer(other.token))
      .send(body);
    expect(crossTenant.status).toBe(403);

    const mine = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}/channels/${channel.id}`)
      .set(bearer(token))
      .send(body);
    expect(mine.body.webhook_override_url).toBe(`${tenant.url}/hook`);
    const seenByOther = await request(hub.app)
      .get(`/api/v2/partners/${other.partner.id}/channels/${channel.id}`)
      .set(bearer(other.token));
    expect(seenByOther.body).toMatchObject({ webhook_overridden: true, webhook_override_url: null });

    // A WABA with another partner's client among its numbers is not this partner's to redirect.
    const foreignSibling = await sandboxSignup(hub, { waba_id: channel.wabaId });
    const em = hub.em();
    const otherClient = await createClient(em, hub.clock, otherPartner, { name: 'Other Bakery' }, TEST_ACTOR);
    await provisionChannel(
      em,
      hub.deps,
      {
        client: await em.findOneOrFail(Client, otherClient.id, { populate: ['partner'] }),
        code: foreignSibling.code,
        wabaId: foreignSibling.waba_id,
        phoneNumberId: foreignSibling.phone_number_id,
        webhookOverride: { callbackUri: `${tenant.url}/hook`, verifyToken: 'tenant-token' },
      },
      TEST_ACTOR,
    );
    const clash = await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}/channels/${channel.id}`)
      .set(bearer(token))
      .send({ webhook_override_url: null });
    expect([clash.status, clash.body.error.code]).toEqual([409, 'waba_override_conflict']);
    expect(clash.body.error.details.channel_ids).toHaveLength(1);
  });
});
