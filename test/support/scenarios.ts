import type { Channel } from '../../server/modules/channels/channel.entity.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { channelFactory, clientFactory, partnerFactory, permissionFactory } from './factories.ts';
import type { TestHub } from './hub.ts';

export interface PartnerWithChannel {
  partner: Partner;
  token: string;
  client: Client;
  channel: Channel;
}

/** A partner whose client has granted it one live channel: the common starting point. */
export async function partnerWithChannel(hub: TestHub, name = 'Acme SaaS'): Promise<PartnerWithChannel> {
  const em = hub.em();
  const { partner, token } = await partnerFactory(em, hub.deps, name);
  const client = await clientFactory(em, partner);
  const channel = await channelFactory(em, client);
  await permissionFactory(em, partner, channel);
  return { partner, token, client, channel };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
