import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors.ts';
import { Client } from '../clients/client.entity.ts';
import type { Partner } from '../partners/partner.entity.ts';
import type { Permission } from '../permissions/permission.entity.ts';
import type { Channel } from './channel.entity.ts';
import { getGrantOf } from './channels.service.ts';

/**
 * The partner's grant of a channel whose client signed up through that partner: what changes the
 * number itself at Meta (disconnecting it, its webhook override, its display name) is that
 * partner's to do. Another partner holding the number gets 403; one not holding it, 404.
 */
export async function ownedGrant(
  em: EntityManager,
  partner: Partner,
  channelId: string,
  action: string,
): Promise<{ grant: Permission & { channel: Channel }; client: Client }> {
  const grant = await getGrantOf(em, partner, channelId);
  const client = await em.findOneOrFail(Client, grant.channel.client.id);
  if (client.partner.id !== partner.id) {
    throw new AppError(
      'forbidden',
      `Only the partner the client signed up through can ${action}; the client can revoke your access`,
    );
  }
  return { grant, client };
}
