import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPartnerHubClient } from '../../client/src/sdk.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

describe('channel health with the partner token', () => {
  const hub = useTestHub({}, { listen: true });

  async function setup() {
    const created = await partnerFactory(hub.em(), hub.deps);
    const partner = await hub.em().findOneOrFail(Partner, created.partner.id);
    const { channel } = await onboardSandboxChannel(hub, partner);
    const health = () =>
      request(hub.app)
        .get(`/api/v2/partners/${partner.id}/channels/${channel.id}/health`)
        .set(bearer(created.token));
    return { partner, token: created.token, channel, health };
  }

  it('reports capabilities and reasons like /waba/health_status, over REST, tRPC and the SDK', async () => {
    const { partner, token, channel, health } = await setup();
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      channel_id: channel.id,
      phone_number_id: channel.phoneNumberId,
      status: 'live',
      can_send_messages: true,
      can_receive_messages: false,
      capabilities: { can_send_messages: true, can_receive_messages: false },
      reasons: ['webhook_not_configured'],
      webhook_configured: false,
      meta_health_status: { can_send_message: 'AVAILABLE' },
    });
    expect(await hub.trpc(token).channels.health({ channel_id: channel.id })).toMatchObject({
      capabilities: { can_send_messages: true, can_receive_messages: false },
    });
    const sdk = createPartnerHubClient({ baseUrl: hub.url, token, partnerId: partner.id });
    expect((await sdk.rest.channels.health(channel.id)).reasons).toEqual(['webhook_not_configured']);
  });

  it('answers for a failed channel too, for which no key can be minted, and says why it cannot send', async () => {
    const { token, partner, channel, health } = await setup();
    const em = hub.em();
    const stored = await em.findOneOrFail(Channel, channel.id);
    stored.status = 'failed';
    stored.statusReason = 'meta_error';
    await em.flush();
    const keys = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token))
      .send({});
    expect(keys.status).toBeGreaterThanOrEqual(400);
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'failed',
      status_reason: 'meta_error',
      can_send_messages: false,
      can_receive_messages: false,
    });
    expect(res.body.reasons).toContain('status_failed');
  });

  it('is not found for a channel the partner does not hold', async () => {
    const { channel } = await setup();
    const other = await partnerFactory(hub.em(), hub.deps, 'Other');
    const res = await request(hub.app)
      .get(`/api/v2/partners/${other.partner.id}/channels/${channel.id}/health`)
      .set(bearer(other.token));
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
  });
});
