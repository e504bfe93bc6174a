import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { ChannelApiKey } from '../api-keys/channel-api-key.entity.ts';
import type { Actor } from '../audit/actor.ts';
import { Permission } from '../permissions/permission.entity.ts';
import { revokePermission } from '../permissions/permissions.service.ts';
import { recordEvents } from '../webhooks/record-events.ts';
import type { Channel } from './channel.entity.ts';

/**
 * Ends every partner's access to the channels: each key is revoked (`api_key.revoked`), each
 * grant too (`permission.revoked`, with its channel webhook), all stamped with one instant and
 * `actor`, in the caller's transaction.
 */
export async function revokeChannelAccess(
  tx: EntityManager,
  clock: Clock,
  channels: Channel[],
  actor: Actor,
): Promise<void> {
  if (channels.length === 0) return;
  const at = clock.now();
  const fixed: Clock = { now: () => at };
  const keys = await tx.find(ChannelApiKey, { channel: { $in: channels.map((c) => c.id) }, revokedAt: null });
  const byId = new Map(channels.map((c) => [c.id, c]));
  for (const key of keys) key.revokedAt = at;
  await recordEvents(
    tx,
    fixed,
    keys.map((key) => {
      const channel = byId.get(key.channel.id)!;
      return {
        partnerId: key.partner.id,
        channelId: channel.id,
        type: 'api_key.revoked' as const,
        data: { api_key_id: key.id, channel_id: channel.id, client_id: channel.client.id, reason: 'revoked' },
      };
    }),
  );
  const grants = await tx.find(
    Permission,
    { channel: { $in: channels.map((c) => c.id) }, revokedAt: null },
    { populate: ['partner'] },
  );
  for (const grant of grants) {
    await revokePermission(tx, fixed, grant.partner, byId.get(grant.channel.id)!, actor);
  }
  await tx.flush();
}
