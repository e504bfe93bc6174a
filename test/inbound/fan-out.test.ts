import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import { ChannelApiKey } from '../../server/modules/api-keys/channel-api-key.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { replayMetaWebhooks, UNMATCHED } from '../../server/modules/inbound/inbound-router.ts';
import { MetaWebhook } from '../../server/modules/inbound/meta-webhook.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import {
  APP_ONLY_FIELDS,
  type AppOnlyField,
  fieldValue,
} from '../../server/sandbox/webhooks/fields/index.ts';
import { accountUpdatePayload } from '../../server/sandbox/webhooks/payloads.ts';
import type { EventType } from '../../shared/events.ts';
import { channelFactory, partnerFactory, permissionFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import type { ReceivedRequest } from '../support/webhook-receiver.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { dataOf } from '../support/webhooks.ts';

const TYPED: Record<AppOnlyField | 'account_update', EventType> = {
  message_template_status_update: 'template.status_updated',
  message_template_quality_update: 'template.quality_updated',
  message_template_components_update: 'template.components_updated',
  template_category_update: 'template.category_updated',
  account_update: 'account.updated',
  account_review_update: 'account.review_updated',
  account_alerts: 'account.alert',
  business_capability_update: 'account.capability_updated',
  phone_number_quality_update: 'channel.quality_updated',
  phone_number_name_update: 'channel.name_updated',
  security: 'channel.security_updated',
  flows: 'flow.updated',
};

const envelope = (wabaId: string, field: string, value: unknown) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: wabaId, changes: [{ value, field }] }],
});

describe('fan-out of the fields Meta sends only to the app (issue 16)', () => {
  const hub = useTestHub({}, { listen: true });
  let receiver: WebhookReceiver;
  let partner: Partner;
  let token: string;
  let outsider: Partner;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS'));
    const other = await partnerFactory(hub.em(), hub.deps, 'Outsider SaaS');
    outsider = other.partner;
    for (const [p, t, path] of [
      [partner, token, '/partner'],
      [other.partner, other.token, '/outsider'],
    ] as const) {
      await request(hub.app)
        .patch(`/api/v2/partners/${p.id}`)
        .set(bearer(t))
        .send({ webhook_url: `${receiver.url}${path}` });
    }
    await hub.drainJobs();
    // Those PATCHes recorded partner.updated: start clean.
    receiver.requests.length = 0;
  });
  afterAll(() => receiver.close());

  const postSigned = (payload: unknown) => {
    const raw = JSON.stringify(payload);
    return request(hub.app)
      .post('/meta/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signMetaBody(hub.deps.meta.appSecret, raw))
      .send(raw);
  };

  async function liveChannelWithWebhook(path: string) {
    const { channel } = await onboardSandboxChannel(hub, partner);
    const key = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    const set = await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', key.body.api_key)
      .send({ url: `${receiver.url}${path}` });
    expect(set.status).toBe(200);
    return { channel, apiKey: key.body.api_key as string };
  }

  /** The request that delivered this event, once the jobs ran. */
  async function deliveryOf(eventId: string): Promise<ReceivedRequest> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const got = receiver.requests.find((r) => r.headers['webhook-id'] === eventId);
      if (got) return got;
      if (Date.now() > deadline) throw new Error(`no delivery of ${eventId}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const eventsOf = (partnerId: string, channelId: string | null, type: string) =>
    hub.em().find(WebhookEvent, { partner: partnerId, ...(channelId ? { channel: channelId } : {}), type });

  function valueFor(field: AppOnlyField | 'account_update', channel: Channel) {
    if (field === 'account_update') {
      return {
        event: 'VOLUME_BASED_PRICING_TIER_UPDATE',
        waba_info: { waba_id: channel.wabaId, owner_business_id: channel.businessId },
        volume_tier_info: { tier_update_time: 1764000000, pricing_category: 'UTILITY' },
      };
    }
    return fieldValue(field, { wabaId: channel.wabaId, displayPhoneNumber: channel.phoneNumber });
  }

  it('each field reaches the holding partner as a typed event and the channel webhook in Meta’s envelope; nobody else', async () => {
    const { channel } = await liveChannelWithWebhook('/channel-all');
    for (const field of [...APP_ONLY_FIELDS, 'account_update'] as const) {
      const value = valueFor(field, channel);
      const res = await postSigned(envelope(channel.wabaId, field, value));
      expect([field, res.status]).toEqual([field, 200]);
      await hub.drainJobs();

      const [typed] = await eventsOf(partner.id, channel.id, TYPED[field]);
      expect(typed, field).toBeDefined();
      expect(dataOf(typed!)).toMatchObject({
        channel_id: channel.id,
        waba_id: channel.wabaId,
        phone_number_id: channel.phoneNumberId,
        field,
        value,
      });
      const atPartner = await deliveryOf(typed!.id);
      expect([field, atPartner.path, atPartner.headers['x-hub-event']]).toEqual([
        field,
        '/partner',
        TYPED[field],
      ]);

      const forwarded = await eventsOf(partner.id, channel.id, 'waba.change');
      const mine = forwarded.find((e) => JSON.parse(e.body).entry[0].changes[0].field === field);
      expect(mine, field).toBeDefined();
      const atChannel = await deliveryOf(mine!.id);
      expect(atChannel.path).toBe('/channel-all');
      expect(JSON.parse(atChannel.rawBody)).toEqual(envelope(channel.wabaId, field, value));
    }
    // The partner that holds nothing of this WABA got nothing at all.
    expect(await hub.em().count(WebhookEvent, { partner: outsider.id, channel: { $ne: null } })).toBe(0);
    expect(receiver.requests.filter((r) => r.path === '/outsider')).toEqual([]);

    // What the typed events carry, read from Meta's values.
    const [status] = await eventsOf(partner.id, channel.id, 'template.status_updated');
    expect(dataOf(status!)).toMatchObject({
      event: 'APPROVED',
      template_id: '1234567890123456',
      template_name: 'order_update',
      template_language: 'en_US',
      reason: 'NONE',
    });
    const [quality] = await eventsOf(partner.id, channel.id, 'channel.quality_updated');
    expect(dataOf(quality!)).toMatchObject({ event: 'UPGRADE', current_limit: 'TIER_10K' });
    const [capability] = await eventsOf(partner.id, channel.id, 'account.capability_updated');
    expect(dataOf(capability!)).toMatchObject({ current_limit: 'TIER_2K', max_phone_numbers: 2 });
    // The number's quality update came after the portfolio's capability update: the last report wins.
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      currentLimit: 'TIER_10K',
      maxPhoneNumbers: 2,
      nameStatus: 'APPROVED',
      verifiedName: 'Sandbox Business',
      status: 'live',
    });
  });

  it('a WABA-level field reaches each channel of the WABA the partner holds; a number-level one only its number', async () => {
    const { channel } = await liveChannelWithWebhook('/channel-waba-1');
    const em = hub.em();
    const stored = await em.findOneOrFail(Channel, channel.id, { populate: ['client'] });
    const sibling = await channelFactory(em, stored.client as Client, {
      wabaId: channel.wabaId,
      status: 'live',
    });
    await permissionFactory(em, partner, sibling);
    await postSigned(envelope(channel.wabaId, 'account_review_update', { decision: 'REJECTED' }));
    expect((await eventsOf(partner.id, channel.id, 'account.review_updated')).length).toBe(1);
    expect((await eventsOf(partner.id, sibling.id, 'account.review_updated')).length).toBe(1);
    expect((await eventsOf(partner.id, sibling.id, 'waba.change')).length).toBe(1);

    await postSigned(
      envelope(channel.wabaId, 'security', {
        display_phone_number: channel.phoneNumber,
        event: 'PIN_CHANGED',
      }),
    );
    expect((await eventsOf(partner.id, channel.id, 'channel.security_updated')).length).toBe(1);
    expect((await eventsOf(partner.id, sibling.id, 'channel.security_updated')).length).toBe(0);
  });

  it('PARTNER_REMOVED revokes the keys and grants; PARTNER_ADDED restores the status and the grants', async () => {
    const { channel, apiKey } = await liveChannelWithWebhook('/channel-removed');
    const waba = (key: string) => request(hub.app).get('/waba/v1/configs/webhook').set('D360-API-KEY', key);
    expect((await waba(apiKey)).status).toBe(200);

    const removed = accountUpdatePayload({
      wabaId: channel.wabaId,
      ownerBusinessId: channel.businessId ?? '1',
      event: 'PARTNER_REMOVED',
      at: hub.clock.now(),
    });
    expect((await postSigned(removed)).status).toBe(200);
    const after = await hub.em().findOneOrFail(Channel, channel.id);
    expect(after).toMatchObject({
      status: 'disconnected',
      statusReason: 'PARTNER_REMOVED',
      previousStatus: 'live',
    });
    expect(await hub.em().count(Permission, { channel: channel.id, revokedAt: null })).toBe(0);
    expect(await hub.em().count(ChannelApiKey, { channel: channel.id, revokedAt: null })).toBe(0);
    for (const type of ['account.updated', 'api_key.revoked', 'permission.revoked', 'channel.updated']) {
      expect([type, (await eventsOf(partner.id, channel.id, type)).length]).toEqual([type, 1]);
    }
    const [update] = await eventsOf(partner.id, channel.id, 'account.updated');
    expect(dataOf(update!)).toMatchObject({ event: 'PARTNER_REMOVED', status: 'disconnected' });
    // The credential cache forgets within a second.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await waba(apiKey)).status).toBe(401);

    const added = accountUpdatePayload({
      wabaId: channel.wabaId,
      ownerBusinessId: channel.businessId ?? '1',
      event: 'PARTNER_ADDED',
      at: hub.clock.now(),
    });
    expect((await postSigned(added)).status).toBe(200);
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      status: 'live',
      statusReason: null,
      previousStatus: null,
    });
    expect(
      await hub.em().count(Permission, { channel: channel.id, partner: partner.id, revokedAt: null }),
    ).toBe(1);
    expect((await eventsOf(partner.id, channel.id, 'permission.granted')).length).toBe(2);
    // Keys are not given back: the partner creates a new one.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await waba(apiKey)).status).toBe(401);
    const restored = await eventsOf(partner.id, channel.id, 'account.updated');
    expect(restored.map(dataOf)).toContainEqual(
      expect.objectContaining({ event: 'PARTNER_ADDED', status: 'live' }),
    );
  });

  it('a violation or restriction restricts the channel with the reason; a reinstatement gives back the status', async () => {
    const { channel } = await liveChannelWithWebhook('/channel-violation');
    const update = (event: 'ACCOUNT_VIOLATION' | 'ACCOUNT_RESTRICTION', reason?: string) =>
      accountUpdatePayload({
        wabaId: channel.wabaId,
        ownerBusinessId: '1',
        event,
        at: hub.clock.now(),
        reason,
      });
    await postSigned(update('ACCOUNT_VIOLATION', 'SCAM'));
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      status: 'restricted',
      statusReason: 'ACCOUNT_VIOLATION: SCAM',
      previousStatus: 'live',
    });
    const [violation] = await eventsOf(partner.id, channel.id, 'account.updated');
    expect(dataOf(violation!)).toMatchObject({
      event: 'ACCOUNT_VIOLATION',
      reason: 'SCAM',
      status: 'restricted',
    });

    await postSigned(update('ACCOUNT_RESTRICTION'));
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      status: 'restricted',
      statusReason: 'ACCOUNT_RESTRICTION: RESTRICTED_BIZ_INITIATED_MESSAGING',
      previousStatus: 'live',
    });
    const rest = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels/${channel.id}`)
      .set(bearer(token));
    expect(rest.body).toMatchObject({
      status: 'restricted',
      status_reason: 'ACCOUNT_RESTRICTION: RESTRICTED_BIZ_INITIATED_MESSAGING',
    });

    await postSigned(
      accountUpdatePayload({
        wabaId: channel.wabaId,
        ownerBusinessId: '1',
        event: 'DISABLED_UPDATE',
        banState: 'REINSTATE',
        at: hub.clock.now(),
      }),
    );
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      status: 'live',
      previousStatus: null,
    });
  });

  it('a restricted channel that Meta removes and adds back comes back restricted; a banned one is not restricted', async () => {
    const { channel } = await liveChannelWithWebhook('/channel-chain');
    const update = (event: 'ACCOUNT_VIOLATION' | 'PARTNER_REMOVED' | 'PARTNER_ADDED' | 'DISABLED_UPDATE') =>
      postSigned(
        accountUpdatePayload({ wabaId: channel.wabaId, ownerBusinessId: '1', event, at: hub.clock.now() }),
      );
    await update('ACCOUNT_VIOLATION');
    await update('PARTNER_REMOVED');
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      status: 'disconnected',
      previousStatus: 'restricted',
    });
    await update('PARTNER_ADDED');
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      status: 'restricted',
      previousStatus: null,
    });
    // Banned (disconnected), a violation does not make it "restricted".
    await update('DISABLED_UPDATE');
    await update('ACCOUNT_VIOLATION');
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      status: 'disconnected',
      statusReason: 'DISABLED_UPDATE',
    });
  });

  it('stores quality rating and messaging limit, shown and filterable through REST and tRPC', async () => {
    const { channel: flagged, apiKey } = await liveChannelWithWebhook('/channel-q1');
    const { channel: fine } = await liveChannelWithWebhook('/channel-q2');
    await postSigned(
      envelope(flagged.wabaId, 'phone_number_quality_update', {
        display_phone_number: flagged.phoneNumber,
        event: 'FLAGGED',
        current_limit: 'TIER_50',
      }),
    );
    await postSigned(
      envelope(fine.wabaId, 'phone_number_quality_update', {
        display_phone_number: fine.phoneNumber,
        event: 'UPGRADE',
        old_limit: 'TIER_10K',
        current_limit: 'TIER_100K',
      }),
    );
    const list = (q: string) =>
      request(hub.app).get(`/api/v2/partners/${partner.id}/channels?${q}`).set(bearer(token));
    const red = await list('quality_rating=RED');
    expect(red.body.channels.map((c: { id: string }) => c.id)).toEqual([flagged.id]);
    expect(red.body.channels[0]).toMatchObject({ quality_rating: 'RED', current_limit: 'TIER_50' });
    const tier = await list('current_limit=TIER_100K&status=live');
    expect(tier.body.channels.map((c: { id: string }) => c.id)).toEqual([fine.id]);
    expect((await list('current_limit=lots')).status).toBe(400);

    // Channel health shows it too (after the key cache's 900 ms).
    await new Promise((r) => setTimeout(r, 1000));
    const health = await request(hub.app).get('/waba/health_status').set('D360-API-KEY', apiKey);
    expect(health.body).toMatchObject({ status: 'live', quality_rating: 'RED', current_limit: 'TIER_50' });

    const trpc = hub.trpc(token);
    expect((await trpc.channels.list({ quality_rating: 'RED' })).channels.map((c) => c.id)).toEqual([
      flagged.id,
    ]);
    expect((await trpc.channels.list({ current_limit: 'TIER_100K' })).channels.map((c) => c.id)).toEqual([
      fine.id,
    ]);
    expect(await trpc.channels.get({ channel_id: fine.id })).toMatchObject({
      current_limit: 'TIER_100K',
      quality_rating: expect.anything(),
    });
  });

  it('keeps a payload nobody holds yet, and replays it once the channel exists', async () => {
    const wabaId = `88${Date.now()}`;
    const value = fieldValue('message_template_status_update', { wabaId, event: 'REJECTED' });
    expect((await postSigned(envelope(wabaId, 'message_template_status_update', value))).status).toBe(200);
    const [kept] = await hub.em().find(MetaWebhook, {}, { orderBy: { id: 'desc' }, limit: 1 });
    expect(kept).toMatchObject({ routedAt: null, error: UNMATCHED });

    // Nothing to route it to yet: the replay leaves it kept.
    expect(await replayMetaWebhooks(hub.deps.orm, hub.clock, { wabaId })).toMatchObject({
      considered: 1,
      routed: 0,
    });

    const em = hub.em();
    const { channel: other } = await onboardSandboxChannel(hub, partner);
    const client = await em.findOneOrFail(Client, (await em.findOneOrFail(Channel, other.id)).client.id);
    const channel = await channelFactory(em, client, { wabaId, status: 'live' });
    await permissionFactory(em, partner, channel);

    const replayed = await replayMetaWebhooks(hub.deps.orm, hub.clock, { wabaId, since: new Date(0) });
    expect(replayed).toMatchObject({ considered: 1, routed: 1, events: 2 });
    const [typed] = await eventsOf(partner.id, channel.id, 'template.status_updated');
    expect(dataOf(typed!)).toMatchObject({ event: 'REJECTED', reason: 'INVALID_FORMAT', waba_id: wabaId });
    expect(await hub.em().findOneOrFail(MetaWebhook, kept!.id)).toMatchObject({ error: null });
    // Replayed once: a second replay finds nothing.
    expect(await replayMetaWebhooks(hub.deps.orm, hub.clock, { wabaId })).toMatchObject({ considered: 0 });
  });

  it('hostile values for every field never fail the request and are kept', async () => {
    const { channel } = await liveChannelWithWebhook('/channel-hostile');
    const nasty: unknown[] = [
      null,
      'x'.repeat(5000),
      { '\u0000': '\u0000' },
      [{ a: [1, { b: null }] }],
      -1e308,
      '\u0000\ud800',
      { toString: 'no' },
    ];
    for (const field of [...APP_ONLY_FIELDS, 'account_update'] as const) {
      for (const [i, bad] of nasty.entries()) {
        const value: Record<string, unknown> = {
          event: bad,
          decision: bad,
          display_phone_number: i % 2 ? channel.phoneNumber : bad,
          message_template_id: bad,
          message_template_name: bad,
          current_limit: bad,
          quality_rating: bad,
          max_daily_conversations_per_business: bad,
          max_phone_numbers_per_business: bad,
          requested_verified_name: bad,
          violation_info: bad,
          restriction_info: bad,
          ban_info: { waba_ban_state: bad },
          waba_info: { waba_id: bad },
          alert_info: bad,
        };
        for (const payload of [
          envelope(channel.wabaId, field, value),
          envelope(channel.wabaId, field, bad),
          { object: 'whatsapp_business_account', entry: [{ id: bad, changes: [{ field, value }] }] },
        ]) {
          const before = await hub.em().count(MetaWebhook, {});
          const res = await postSigned(payload);
          expect([field, i, res.status]).toEqual([field, i, 200]);
          expect(await hub.em().count(MetaWebhook, {})).toBe(before + 1);
        }
      }
    }
    // A decision shaped like text never lands on the channel.
    const stored = await hub.em().findOneOrFail(Channel, channel.id);
    expect(stored.status).toBe('live');
    expect(stored.currentLimit ?? 'TIER_X').toMatch(/^TIER_/);
  });

  it('the sandbox control API emits every field, signed, through the hub', async () => {
    const { channel } = await liveChannelWithWebhook('/channel-sandbox');
    const control = (path: string, body: unknown) =>
      fetch(`${hub.url}/sandbox/control${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
        },
        body: JSON.stringify(body),
      });
    for (const field of APP_ONLY_FIELDS) {
      const res = await control(`/webhooks/${field}`, { phone_number_id: channel.phoneNumberId });
      const body = (await res.json()) as { delivered: boolean; payload: { entry: { id: string }[] } };
      expect([field, res.status, body.delivered]).toEqual([field, 200, true]);
      expect(body.payload.entry[0]!.id).toBe(channel.wabaId);
      expect([field, (await eventsOf(partner.id, channel.id, TYPED[field])).length]).toEqual([field, 1]);
    }
    const byWaba = await control('/webhooks/business_capability_update', {
      waba_id: channel.wabaId,
      limit: -1,
    });
    expect(byWaba.status).toBe(200);
    expect((await hub.em().findOneOrFail(Channel, channel.id)).currentLimit).toBe('TIER_UNLIMITED');
    const phoneOnly = await control('/webhooks/security', { waba_id: channel.wabaId });
    expect(phoneOnly.status).toBe(400);
    expect((await control('/webhooks/messages', { waba_id: channel.wabaId })).status).toBe(400);

    const violation = await control('/account_update', {
      waba_id: channel.wabaId,
      event: 'ACCOUNT_VIOLATION',
      reason: 'SPAM',
    });
    expect(violation.status).toBe(200);
    expect(await hub.em().findOneOrFail(Channel, channel.id)).toMatchObject({
      status: 'restricted',
      statusReason: 'ACCOUNT_VIOLATION: SPAM',
    });
  });
});
