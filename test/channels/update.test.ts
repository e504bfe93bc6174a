import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPartnerHubClient } from '../../client/src/sdk.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { grantPermission } from '../../server/modules/permissions/permissions.service.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel, TEST_ACTOR } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

describe('updating a channel: metadata on the partner’s grant', () => {
  const hub = useTestHub({}, { listen: true });

  it('sets and clears the metadata over REST, tRPC and the SDK; only that partner sees it', async () => {
    const owner = await partnerFactory(hub.em(), hub.deps);
    const partner = await hub.em().findOneOrFail(Partner, owner.partner.id);
    const { channel } = await onboardSandboxChannel(hub, partner);
    const other = await partnerFactory(hub.em(), hub.deps, 'Other');
    await grantPermission(
      hub.em(),
      hub.clock,
      await hub.em().findOneOrFail(Partner, other.partner.id),
      await hub.em().findOneOrFail(Channel, channel.id, { populate: ['client'] }),
      TEST_ACTOR,
    );
    const url = (p: string) => `/api/v2/partners/${p}/channels/${channel.id}`;

    const set = await request(hub.app)
      .patch(url(partner.id))
      .set(bearer(owner.token))
      .send({ metadata: { crm: 7 } });
    expect([set.status, set.body.metadata]).toEqual([200, { crm: 7 }]);
    const seenByOther = await request(hub.app).get(url(other.partner.id)).set(bearer(other.token));
    expect(seenByOther.body.metadata).toBeNull();
    expect(await hub.em().count(AuditLog, { action: 'channel.updated', targetId: channel.id })).toBe(1);

    // Not sending it keeps it; null clears it.
    const kept = await hub.trpc(owner.token).channels.update({ channel_id: channel.id });
    expect(kept.metadata).toEqual({ crm: 7 });
    const sdk = createPartnerHubClient({ baseUrl: hub.url, token: owner.token, partnerId: partner.id });
    expect((await sdk.rest.channels.update(channel.id, { metadata: null })).metadata).toBeNull();

    for (const body of [{ metadata: 'x' }, { metadata: { blob: 'x'.repeat(5000) } }, { status: 'live' }]) {
      const bad = await request(hub.app).patch(url(partner.id)).set(bearer(owner.token)).send(body);
      expect([bad.status, bad.body.error.code], JSON.stringify(body).slice(0, 40)).toEqual([
        400,
        'validation_failed',
      ]);
    }
    const foreign = await partnerFactory(hub.em(), hub.deps, 'Stranger');
    const refused = await request(hub.app)
      .patch(url(foreign.partner.id))
      .set(bearer(foreign.token))
      .send({ metadata: { x: 1 } });
    expect(refused.status).toBe(404);
  });
});
