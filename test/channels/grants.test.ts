import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../server/modules/audit/actor.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { grantPermission, revokePermission } from '../../server/modules/permissions/permissions.service.ts';
import * as f from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { bearer } from '../support/scenarios.ts';

const hub = useTestHub();

const clientUser: Actor = { type: 'client_user', id: 'cus_grant_tester' };
const meta: Actor = { type: 'system', id: 'meta:account_update' };

/** A channel granted to `owner`, revoked by its client, granted again by Meta; also granted to `other`. */
async function history() {
  const em = hub.em();
  const owner = await f.partnerFactory(em, hub.deps, 'Owner Co');
  const other = await f.partnerFactory(em, hub.deps, 'Other Co');
  const stranger = await f.partnerFactory(em, hub.deps, 'Stranger Co');
  const client = await f.clientFactory(em, owner.partner);
  const channel = await f.channelFactory(em, client);
  const load = async () => ({
    partner: await em.findOneOrFail(Partner, owner.partner.id),
    channel: await em.findOneOrFail(Channel, channel.id, { populate: ['client'] }),
  });
  let { partner, channel: ch } = await load();
  await grantPermission(em, hub.clock, partner, ch, clientUser);
  hub.clock.advance(60_000);
  await revokePermission(em, hub.clock, partner, ch, clientUser);
  hub.clock.advance(60_000);
  await grantPermission(em, hub.clock, partner, ch, meta);
  const otherPartner = await em.findOneOrFail(Partner, other.partner.id);
  await grantPermission(em, hub.clock, otherPartner, ch, { type: 'partner_token', id: 'ptk_other' });
  ({ partner, channel: ch } = await load());
  return { owner, other, stranger, channel: ch, partner };
}

const grants = (token: string, partnerId: string, channelId: string, q: object = {}) =>
  request(hub.app)
    .get(`/api/v2/partners/${partnerId}/channels/${channelId}/grants`)
    .query(q)
    .set(bearer(token));

describe('channels.grants: the partner’s grant history of a channel', () => {
  it('lists each grant newest first, with when and by whom it was granted and revoked', async () => {
    const { owner, channel } = await history();
    const res = await grants(owner.token, owner.partner.id, channel.id);
    expect(res.status).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.grants).toEqual([
      expect.objectContaining({
        channel_id: channel.id,
        client_id: channel.client.id,
        granted_by: { type: 'system', id: 'meta:account_update' },
        revoked_at: null,
        revoked_by: null,
      }),
      expect.objectContaining({
        granted_by: { type: 'client_user', id: 'cus_grant_tester' },
        revoked_by: { type: 'client_user', id: 'cus_grant_tester' },
      }),
    ]);
    const [current, first] = res.body.grants;
    expect(Date.parse(first.revoked_at) - Date.parse(first.granted_at)).toBe(60_000);
    expect(Date.parse(current.granted_at) - Date.parse(first.revoked_at)).toBe(60_000);
    // The other partner's grant of the same number is its own business.
    expect(JSON.stringify(res.body)).not.toContain('ptk_other');
    // The same answer over tRPC.
    const trpc = await hub.trpc(owner.token).channels.grants({ channel_id: channel.id });
    expect(trpc).toEqual(res.body);
  });

  it('pages by cursor', async () => {
    const { owner, channel } = await history();
    const first = await grants(owner.token, owner.partner.id, channel.id, { limit: 1 });
    expect(first.body.grants).toHaveLength(1);
    expect(first.body.grants[0].revoked_at).toBeNull();
    const second = await grants(owner.token, owner.partner.id, channel.id, {
      limit: 1,
      cursor: first.body.next_cursor,
    });
    expect(second.body.grants).toHaveLength(1);
    expect(second.body.grants[0].revoked_at).not.toBeNull();
    expect(second.body.next_cursor).toBeNull();
    const bad = await grants(owner.token, owner.partner.id, channel.id, { cursor: 'bm9wZQ' });
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'validation_failed']);
  });

  it('keeps the actor id but no type once the audit log no longer has the entry', async () => {
    const { owner, channel } = await history();
    await hub.em().nativeDelete(AuditLog, { partner: owner.partner.id, action: 'permission.granted' });
    const res = await grants(owner.token, owner.partner.id, channel.id);
    expect(res.body.grants[0].granted_by).toEqual({ type: null, id: 'meta:account_update' });
    expect(res.body.grants[1].revoked_by).toEqual({ type: 'client_user', id: 'cus_grant_tester' });
  });

  it('stays readable to a partner whose access was revoked, while the channel itself is 404', async () => {
    const { owner, channel, partner } = await history();
    await revokePermission(hub.em(), hub.clock, partner, channel, clientUser);
    const get = await request(hub.app)
      .get(`/api/v2/partners/${owner.partner.id}/channels/${channel.id}`)
      .set(bearer(owner.token));
    expect(get.status).toBe(404);
    const res = await grants(owner.token, owner.partner.id, channel.id);
    expect(res.status).toBe(200);
    expect(res.body.grants.map((g: { revoked_at: string | null }) => g.revoked_at !== null)).toEqual([
      true,
      true,
    ]);
  });

  it('is 404 for a channel the partner never held, over REST and tRPC, and 403 under another partner', async () => {
    const { stranger, owner, channel } = await history();
    const res = await grants(stranger.token, stranger.partner.id, channel.id);
    expect([res.status, res.body.error?.code]).toEqual([404, 'not_found']);
    expect(JSON.stringify(res.body)).not.toContain('cus_grant_tester');
    await expect(hub.trpc(stranger.token).channels.grants({ channel_id: channel.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // A cursor of one's own does not turn the unknown channel into an empty page.
    const first = await grants(owner.token, owner.partner.id, channel.id, { limit: 1 });
    const probe = await grants(stranger.token, stranger.partner.id, channel.id, {
      cursor: first.body.next_cursor,
    });
    expect([probe.status, probe.body.error?.code]).toEqual([404, 'not_found']);
    const missing = await grants(owner.token, owner.partner.id, 'chn_missing');
    expect([missing.status, missing.body.error?.code]).toEqual([404, 'not_found']);
    const foreign = await grants(stranger.token, owner.partner.id, channel.id);
    expect([foreign.status, foreign.body.error?.code]).toEqual([403, 'forbidden']);
  });
});
