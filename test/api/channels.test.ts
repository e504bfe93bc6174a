import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { channelFactory, clientFactory, partnerFactory, permissionFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();

describe('channels API', () => {
  it('shows only the channels currently granted to the partner, with filters and pagination', async () => {
    const em = hub.em();
    const { partner, token } = await partnerFactory(em, hub.deps);
    const { partner: rival } = await partnerFactory(em, hub.deps, 'Rival');
    const bakery = await clientFactory(em, partner);
    const florist = await clientFactory(em, partner);
    const granted = await channelFactory(em, bakery, { phoneNumber: '15550001111' });
    const pending = await channelFactory(em, bakery, { status: 'pending' });
    const otherClient = await channelFactory(em, florist);
    const revoked = await channelFactory(em, florist);
    const rivalsOnly = await channelFactory(em, bakery);
    for (const c of [granted, pending, otherClient]) await permissionFactory(em, partner, c);
    await permissionFactory(em, partner, revoked, { revokedAt: new Date() });
    await permissionFactory(em, rival, rivalsOnly);

    const ids = async (query = '') =>
      (
        await request(hub.app).get(`/api/v2/partners/${partner.id}/channels?${query}`).set(bearer(token))
      ).body.channels.map((c: { id: string }) => c.id);
    expect(await ids()).toEqual([otherClient.id, pending.id, granted.id]);
    expect(await ids(`client_id=${bakery.id}`)).toEqual([pending.id, granted.id]);
    expect(await ids('status=pending')).toEqual([pending.id]);
    expect(await ids('phone_number=15550001111')).toEqual([granted.id]);
    expect(await ids('phone_number=%2B15550001111')).toEqual([granted.id]);

    const first = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels?limit=2`)
      .set(bearer(token));
    expect(first.body.channels).toHaveLength(2);
    const second = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels?limit=2&cursor=${first.body.next_cursor}`)
      .set(bearer(token));
    expect(second.body).toMatchObject({ channels: [{ id: granted.id }], next_cursor: null });

    // The cursor with a filter: pending is older than otherClient, newer than granted.
    const live = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels?status=live&limit=1`)
      .set(bearer(token));
    expect(live.body.channels.map((c: { id: string }) => c.id)).toEqual([otherClient.id]);
    const liveRest = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels?status=live&limit=1&cursor=${live.body.next_cursor}`)
      .set(bearer(token));
    expect(liveRest.body).toMatchObject({ channels: [{ id: granted.id }], next_cursor: null });

    const one = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels/${granted.id}`)
      .set(bearer(token));
    expect(one.body).toEqual({
      id: granted.id,
      client_id: bakery.id,
      phone_number: '15550001111',
      display_name: null,
      verified_name: null,
      waba_id: granted.wabaId,
      phone_number_id: granted.phoneNumberId,
      business_id: null,
      status: 'live',
      status_reason: null,
      connection_type: 'cloud_api',
      quality_rating: null,
      current_limit: null,
      max_phone_numbers: null,
      name_status: null,
      requested_display_name: null,
      business_app_seen_at: null,
      tenant_id: null,
      metadata: null,
      webhook_overridden: false,
      webhook_override_url: null,
      created_at: granted.createdAt.toISOString(),
      updated_at: granted.updatedAt.toISOString(),
    });
    for (const hidden of [revoked, rivalsOnly]) {
      const res = await request(hub.app)
        .get(`/api/v2/partners/${partner.id}/channels/${hidden.id}`)
        .set(bearer(token));
      expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
    }

    const trpc = hub.trpc(token);
    expect((await trpc.channels.list({ status: 'live' })).channels.map((c) => c.id)).toEqual([
      otherClient.id,
      granted.id,
    ]);
    expect((await trpc.channels.get({ channel_id: granted.id })).phone_number).toBe('15550001111');
    await expect(trpc.channels.get({ channel_id: revoked.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rejects malformed filters', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps);
    for (const query of ['status=ready', 'phone_number=abc', 'limit=-1']) {
      const res = await request(hub.app)
        .get(`/api/v2/partners/${partner.id}/channels?${query}`)
        .set(bearer(token));
      expect([res.status, res.body.error.code], query).toEqual([400, 'validation_failed']);
    }
  });
});
