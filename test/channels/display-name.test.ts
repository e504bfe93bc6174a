import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { channelSecretContext } from '../../server/modules/channels/channel-secrets.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { grantPermission } from '../../server/modules/permissions/permissions.service.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel, sandboxControl, TEST_ACTOR } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { dataOf } from '../support/webhooks.ts';

describe('display name changes through PATCH channel, as far as Meta allows', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let token: string;

  beforeAll(async () => {
    const created = await partnerFactory(hub.em(), hub.deps, 'Names SaaS');
    token = created.token;
    partner = await hub.em().findOneOrFail(Partner, created.partner.id);
  });

  const patch = (channelId: string, body: object, as = token, partnerId = partner.id) =>
    request(hub.app).patch(`/api/v2/partners/${partnerId}/channels/${channelId}`).set(bearer(as)).send(body);

  async function metaView(channelId: string) {
    const channel = await hub.em().findOneOrFail(Channel, channelId);
    const metaToken = hub.deps.secretBox.decrypt(
      channel.metaTokenSealed!,
      channelSecretContext(channel.id, 'meta_token'),
    );
    const res = await fetch(
      `${hub.url}/sandbox/graph/v23.0/${channel.phoneNumberId}?fields=verified_name,new_display_name,new_name_status&access_token=${metaToken}`,
    );
    return res.json() as Promise<Record<string, string>>;
  }

  it('requests the name at Meta, shows it pending review, and takes Meta’s approval', async () => {
    const { channel } = await onboardSandboxChannel(hub, partner);
    const res = await patch(channel.id, { display_name: '  Sunrise Bakery Berlin ' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      requested_display_name: 'Sunrise Bakery Berlin',
      name_status: 'PENDING_REVIEW',
    });
    expect(await metaView(channel.id)).toMatchObject({
      new_display_name: 'Sunrise Bakery Berlin',
      new_name_status: 'PENDING_REVIEW',
    });
    const updates = await hub.em().find(WebhookEvent, { channel: channel.id, type: 'channel.updated' });
    expect(updates.map(dataOf)).toContainEqual(
      expect.objectContaining({ changed_fields: ['requested_display_name', 'name_status'] }),
    );

    const decided = await sandboxControl(hub, 'webhooks/phone_number_name_update', {
      phone_number_id: channel.phoneNumberId,
      event: 'APPROVED',
    });
    expect(await decided.json()).toMatchObject({ delivered: true });
    expect(await metaView(channel.id)).toMatchObject({
      verified_name: 'Sunrise Bakery Berlin',
      new_name_status: 'APPROVED',
    });
    const shown = await hub.trpc(token).channels.get({ channel_id: channel.id });
    expect(shown).toMatchObject({ verified_name: 'Sunrise Bakery Berlin', name_status: 'APPROVED' });
  });

  it('Meta allows 10 changes in 30 days: the 11th is refused and changes nothing', async () => {
    const { channel } = await onboardSandboxChannel(hub, partner);
    for (let i = 1; i <= 10; i++) {
      const ok = await hub
        .trpc(token)
        .channels.update({ channel_id: channel.id, display_name: `Bakery ${i}` });
      expect(ok.requested_display_name).toBe(`Bakery ${i}`);
    }
    const refused = await patch(channel.id, { display_name: 'Bakery 11' });
    expect([refused.status, refused.body.error.code]).toEqual([502, 'meta_error']);
    expect(refused.body.error.details).toMatchObject({ meta_code: 100 });
    expect((await hub.em().findOneOrFail(Channel, channel.id)).requestedDisplayName).toBe('Bakery 10');
  });

  it('refuses bad names, other partners, and numbers Meta no longer serves', async () => {
    const { channel } = await onboardSandboxChannel(hub, partner);
    for (const display_name of ['ab', '   ', 'x'.repeat(513), 42]) {
      const res = await patch(channel.id, { display_name });
      expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
    }
    const other = await partnerFactory(hub.em(), hub.deps, 'Other Names SaaS');
    const notHeld = await patch(channel.id, { display_name: 'Not yours' }, other.token, other.partner.id);
    expect([notHeld.status, notHeld.body.error.code]).toEqual([404, 'not_found']);
    await grantPermission(
      hub.em(),
      hub.clock,
      await hub.em().findOneOrFail(Partner, other.partner.id),
      await hub.em().findOneOrFail(Channel, channel.id),
      TEST_ACTOR,
    );
    const held = await patch(channel.id, { display_name: 'Not yours' }, other.token, other.partner.id);
    expect([held.status, held.body.error.code]).toEqual([403, 'forbidden']);

    const em = hub.em();
    const disconnected = await em.findOneOrFail(Channel, channel.id);
    disconnected.status = 'disconnected';
    await em.flush();
    const gone = await patch(channel.id, { display_name: 'Too late' });
    expect([gone.status, gone.body.error.code]).toEqual([409, 'channel_not_ready']);
    expect(await metaView(channel.id)).toMatchObject({ new_name_status: 'NONE' });
  });
});
