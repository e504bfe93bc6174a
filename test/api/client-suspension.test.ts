import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { setClientStatus } from '../../server/modules/clients/client-status.service.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { setClientGrants } from '../../server/modules/permissions/client-grants.service.ts';
import { changeAccess } from '../../server/modules/permissions/client-hub.service.ts';
import { useTestHub } from '../support/hub.ts';
import { partnerWithChannel } from '../support/scenarios.ts';

const hub = useTestHub();
const operator = { type: 'operator' as const, id: 'test' };
const user = { type: 'client_user' as const, id: 'cu_test' };

describe('a suspended client', () => {
  it('cannot grant access (it can still take it away) until it is reinstated', async () => {
    const { partner, client, channel } = await partnerWithChannel(hub);
    await setClientStatus(hub.em(), client.id, 'suspended', operator);
    const grants = async (selected: string[]) => {
      const em = hub.em();
      return setClientGrants(
        em,
        hub.clock,
        await em.findOneOrFail(Partner, partner.id),
        await em.findOneOrFail(Client, client.id),
        selected,
        user,
      );
    };
    expect((await grants([])).revoked).toEqual([channel.id]);
    await expect(grants([channel.id])).rejects.toMatchObject({ code: 'client_suspended', status: 403 });
    const em = hub.em();
    await expect(
      changeAccess(
        em,
        hub.clock,
        await em.findOneOrFail(Client, client.id),
        { channelId: channel.id, partnerId: partner.id, action: 'grant' },
        user,
      ),
    ).rejects.toMatchObject({ code: 'client_suspended' });

    await setClientStatus(hub.em(), client.id, 'active', operator);
    expect((await grants([channel.id])).granted).toEqual([channel.id]);
    const actions = await hub.em().find(AuditLog, { targetId: client.id }, { orderBy: { id: 'asc' } });
    expect(actions.map((a) => a.action)).toEqual(['client.suspended', 'client.reinstated']);
  });

  it('is refused for an unknown client id', async () => {
    await expect(setClientStatus(hub.em(), 'cli_nope', 'suspended', operator)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
