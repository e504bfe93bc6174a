import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { healthOf } from '../../server/modules/portal/portal.service.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import {
  channelFactory,
  clientFactory,
  partnerFactory,
  permissionFactory,
  webhookDeliveryFactory,
  webhookEventFactory,
} from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { sandboxSignup } from '../support/sandbox.ts';
import { partnerWithChannel } from '../support/scenarios.ts';
import { errorCode, mintLink, portalClient } from './portal-client.ts';

const hub = useTestHub({}, { listen: true });

/** A portal session for `clientId`, as the page holds it after the exchange. */
async function openPortal(
  partner: { id: string },
  token: string,
  clientId: string,
  body: object = {},
): Promise<{ portal: ReturnType<typeof portalClient>; sessionId: string }> {
  const { token: link, body: minted } = await mintLink(hub, partner, token, clientId, body);
  const opened = await portalClient(hub).session.exchange.mutate({ partner_id: partner.id, token: link });
  return { portal: portalClient(hub, () => opened.session_token), sessionId: minted.id };
}

describe('the portal acts for one client only', () => {
  it('lists only that client’s numbers, and another client’s channel is not found', async () => {
    const { partner, token, client, channel } = await partnerWithChannel(hub, 'Bound Co');
    const em = hub.em();
    const neighbour = await clientFactory(em, partner);
    const theirs = await channelFactory(em, neighbour);
    await permissionFactory(em, partner, theirs);
    const stranger = await partnerWithChannel(hub, 'Stranger Co');
    const { portal } = await openPortal(partner, token, client.id);

    const numbers = await portal.numbers.list.query();
    expect(numbers.map((n) => n.id)).toEqual([channel.id]);
    expect(numbers[0]).toMatchObject({ phone_number: channel.phoneNumber, health: 'healthy' });
    expect(numbers[0]!.granted).toEqual([{ id: partner.id, name: 'Bound Co' }]);

    for (const channelId of [theirs.id, stranger.channel.id]) {
      expect(
        await errorCode(
          portal.numbers.changeAccess.mutate({
            channel_id: channelId,
            partner_id: partner.id,
            action: 'revoke',
          }),
        ),
      ).toBe('not_found');
    }
    expect(await hub.em().count(Permission, { channel: theirs.id, revokedAt: null })).toBe(1);
    expect(await hub.em().count(Permission, { channel: stranger.channel.id, revokedAt: null })).toBe(1);
  });

  it('grants only partners the client hub would offer: another one is not found', async () => {
    const { partner, token, client, channel } = await partnerWithChannel(hub, 'Offer Co');
    const unrelated = await partnerFactory(hub.em(), hub.deps, 'Unrelated Co');
    const { portal } = await openPortal(partner, token, client.id);
    expect(
      await errorCode(
        portal.numbers.changeAccess.mutate({
          channel_id: channel.id,
          partner_id: unrelated.partner.id,
          action: 'grant',
        }),
      ),
    ).toBe('not_found');
    expect(
      await errorCode(
        portal.numbers.changeAccess.mutate({
          channel_id: channel.id,
          partner_id: partner.id,
          action: 'grant',
        }),
      ),
    ).toBe('not_found');
    expect(
      await errorCode(
        portal.numbers.changeAccess.mutate({
          channel_id: channel.id,
          partner_id: partner.id,
          // An action the schema does not know, as a hand-made request could send it.
          action: 'steal' as 'grant',
        }),
      ),
    ).toBe('validation_failed');
  });

  it('revokes and grants again with the client hub’s audit rows and events, naming the portal session', async () => {
    const { partner, token, client, channel } = await partnerWithChannel(hub, 'Regrant Co');
    const { portal, sessionId } = await openPortal(partner, token, client.id);
    const change = (action: 'grant' | 'revoke') =>
      portal.numbers.changeAccess.mutate({ channel_id: channel.id, partner_id: partner.id, action });

    await change('revoke');
    let [number] = await portal.numbers.list.query();
    expect(number!.granted).toEqual([]);
    expect(number!.grantable.map((p) => p.id)).toEqual([partner.id]);
    await change('grant');
    [number] = await portal.numbers.list.query();
    expect(number!.granted.map((p) => p.id)).toEqual([partner.id]);

    const em = hub.em();
    const audit = await em.find(
      AuditLog,
      { partner: partner.id, action: { $in: ['permission.revoked', 'permission.granted'] } },
      { orderBy: { id: 'asc' } },
    );
    expect(audit.map((a) => [a.action, a.actorType, a.actorId])).toEqual([
      ['permission.revoked', 'client_user', sessionId],
      ['permission.granted', 'client_user', sessionId],
    ]);
    const events = await em.find(
      WebhookEvent,
      { partner: partner.id, channel: channel.id, type: { $like: 'permission.%' } },
      { orderBy: { id: 'asc' } },
    );
    expect(events.map((e) => e.type)).toEqual(['permission.revoked', 'permission.granted']);
  });

  it('adds a number from a sandbox Embedded Signup to this client, without granting it', async () => {
    const { partner, token, client } = await partnerWithChannel(hub, 'Adding Co');
    const { portal } = await openPortal(partner, token, client.id);
    const signup = await sandboxSignup(hub);
    const added = await portal.numbers.add.mutate({
      code: signup.code,
      waba_id: signup.waba_id,
      phone_number_id: signup.phone_number_id,
      business_id: signup.business_id,
    });
    expect(added.status).toBe('created');
    const channel = await hub.em().findOneOrFail(Channel, added.channel_id!, { populate: ['client'] });
    expect(channel.client.id).toBe(client.id);
    const listed = (await portal.numbers.list.query()).find((n) => n.id === channel.id);
    expect(listed?.granted).toEqual([]);
    expect(listed?.grantable.map((p) => p.id)).toEqual([partner.id]);
    expect(await errorCode(portal.numbers.add.mutate({ code: '', waba_id: signup.waba_id }))).toBe(
      'validation_failed',
    );
  });
});

describe('webhook deliveries in the portal', () => {
  async function withDeliveries() {
    const world = await partnerWithChannel(hub, 'Deliveries Co');
    const em = hub.em();
    const neighbour = await clientFactory(em, world.partner);
    const theirs = await channelFactory(em, neighbour);
    const mine = await webhookEventFactory(em, world.partner, {
      channel: world.channel,
      type: 'message.received',
    });
    const other = await webhookEventFactory(em, world.partner, { channel: theirs, type: 'message.received' });
    const delivered = await webhookDeliveryFactory(em, mine, { status: 'succeeded', attemptCount: 1 });
    await webhookDeliveryFactory(em, other);
    return { ...world, delivered };
  }

  it('are hidden unless the link allowed them (403 forbidden)', async () => {
    const { partner, token, client } = await withDeliveries();
    const { portal } = await openPortal(partner, token, client.id);
    expect((await portal.session.get.query()).show_deliveries).toBe(false);
    expect(await errorCode(portal.deliveries.list.query())).toBe('forbidden');
  });

  it('list only the client’s numbers’ deliveries when allowed, without the partner’s URLs', async () => {
    const { partner, token, client, delivered } = await withDeliveries();
    const { portal } = await openPortal(partner, token, client.id, { show_deliveries: true });
    const list = await portal.deliveries.list.query();
    expect(list.map((d) => d.id)).toEqual([delivered.id]);
    expect(list[0]).toMatchObject({ status: 'succeeded', attempt_count: 1, event_type: 'message.received' });
    expect(JSON.stringify(list)).not.toContain('partner.example');
  });
});

describe('number health', () => {
  it.each([
    ['live', 'GREEN', 'healthy'],
    ['live', null, 'healthy'],
    ['live', 'YELLOW', 'attention'],
    ['restricted', 'GREEN', 'attention'],
    ['connected', null, 'attention'],
    ['live', 'RED', 'down'],
    ['disconnected', 'GREEN', 'down'],
    ['failed', null, 'down'],
  ] as const)('%s with quality %s is %s', (status, qualityRating, health) => {
    expect(healthOf({ status, qualityRating })).toBe(health);
  });
});
