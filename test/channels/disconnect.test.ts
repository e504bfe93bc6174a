import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ChannelApiKey } from '../../server/modules/api-keys/channel-api-key.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { grantPermission } from '../../server/modules/permissions/permissions.service.ts';
import { SEALED, unseal } from '../../server/modules/secrets/sealed-columns.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel, TEST_ACTOR } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

describe('disconnecting a channel', () => {
  const hub = useTestHub({}, { listen: true });

  async function setup() {
    const owner = await partnerFactory(hub.em(), hub.deps);
    const partner = await hub.em().findOneOrFail(Partner, owner.partner.id);
    const { channel } = await onboardSandboxChannel(hub, partner);
    const disconnect = (token = owner.token, partnerId = partner.id) =>
      request(hub.app)
        .post(`/api/v2/partners/${partnerId}/channels/${channel.id}/disconnect`)
        .set(bearer(token));
    return { owner, partner, channel, disconnect };
  }

  it('unsubscribes the app, revokes every key and grant, keeps the record, and tells every holder', async () => {
    const { owner, partner, channel, disconnect } = await setup();
    const other = await partnerFactory(hub.em(), hub.deps, 'Other');
    await grantPermission(
      hub.em(),
      hub.clock,
      await hub.em().findOneOrFail(Partner, other.partner.id),
      await hub.em().findOneOrFail(Channel, channel.id, { populate: ['client'] }),
      TEST_ACTOR,
    );
    const key = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(owner.token))
      .send({});
    expect(key.status).toBe(201);

    // Only the partner the client signed up through may disconnect.
    const refused = await disconnect(other.token, other.partner.id);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);

    const res = await disconnect();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: channel.id,
      status: 'disconnected',
      status_reason: 'partner_disconnected',
    });

    const stored = await hub.em().findOneOrFail(Channel, channel.id);
    expect([stored.status, stored.wabaSubscribedAt]).toEqual(['disconnected', null]);
    expect(await hub.em().count(Permission, { channel: channel.id, revokedAt: null })).toBe(0);
    expect(await hub.em().count(ChannelApiKey, { channel: channel.id, revokedAt: null })).toBe(0);
    const send = await request(hub.app)
      .post('/waba/messages')
      .set('D360-API-KEY', key.body.api_key)
      .send({ messaging_product: 'whatsapp', to: '4915112345678', type: 'text', text: { body: 'hi' } });
    expect(send.status).toBe(401);

    // Meta's side: the app no longer receives the WABA's webhooks.
    const meta = await fetch(
      `${hub.url}/sandbox/graph/v23.0/${stored.wabaId}/subscribed_apps?access_token=${await metaToken(channel.id)}`,
    ).then((r) => r.json() as Promise<{ data: unknown[] }>);
    expect(meta.data).toEqual([]);

    const events = await hub.em().find(WebhookEvent, { channel: channel.id, type: 'channel.disconnected' });
    expect(events.map((e) => e.partner.id).sort()).toEqual([partner.id, other.partner.id].sort());
    const revoked = await hub.em().count(WebhookEvent, { channel: channel.id, type: 'permission.revoked' });
    expect(revoked).toBe(2);

    // The partner no longer holds it: a repeat is not found.
    expect((await disconnect()).status).toBe(404);
  });

  it('keeps the WABA subscribed while another connected number shares it', async () => {
    const { channel, disconnect } = await setup();
    const em = hub.em();
    const first = await em.findOneOrFail(Channel, channel.id, { populate: ['client'] });
    em.create(Channel, {
      client: first.client,
      phoneNumber: '15550109999',
      wabaId: first.wabaId,
      phoneNumberId: `sibling-${channel.id}`,
      status: 'live',
    });
    await em.flush();
    const res = await disconnect();
    expect(res.status).toBe(200);
    const event = await hub
      .em()
      .findOneOrFail(WebhookEvent, { channel: channel.id, type: 'channel.disconnected' });
    expect(JSON.parse(event.body).data).toMatchObject({
      unsubscribed: false,
      reason: 'partner_disconnected',
    });
    const meta = await fetch(
      `${hub.url}/sandbox/graph/v23.0/${first.wabaId}/subscribed_apps?access_token=${await metaToken(channel.id)}`,
    ).then((r) => r.json() as Promise<{ data: unknown[] }>);
    expect(meta.data).toHaveLength(1);
  });

  it('still disconnects when Meta already refuses the token (nothing left to unsubscribe)', async () => {
    const { channel, disconnect } = await setup();
    const stored = await hub.em().findOneOrFail(Channel, channel.id);
    const expired = await fetch(`${hub.url}/sandbox/control/tokens/expire`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
      },
      body: JSON.stringify({ waba_id: stored.wabaId }),
    });
    expect(expired.status).toBe(200);
    const res = await disconnect();
    expect([res.status, res.body.status]).toEqual([200, 'disconnected']);
    const event = await hub
      .em()
      .findOneOrFail(WebhookEvent, { channel: channel.id, type: 'channel.disconnected' });
    expect(JSON.parse(event.body).data.unsubscribed).toBe(false);
  });

  /** The business token the hub keeps for the channel: Meta still lets it read the WABA. */
  async function metaToken(channelId: string): Promise<string> {
    const stored = await hub.em().findOneOrFail(Channel, channelId);
    return unseal(hub.deps.secretBox, SEALED.channelMetaToken, channelId, stored.metaTokenSealed!);
  }
});
