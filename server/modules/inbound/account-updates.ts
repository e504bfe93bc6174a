import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelStatus } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { Channel } from '../channels/channel.entity.ts';
import { canTransition, moveChannel, recordChannelUpdated } from '../channels/channel-lifecycle.ts';
import type { MetaChange } from './meta-changes.ts';

/** Which `account_update` events move a channel, and where to. Others are kept raw only. */
function targetOf(value: Record<string, unknown>): ChannelStatus | undefined {
  switch (value.event) {
    case 'PARTNER_REMOVED':
      return 'disconnected';
    case 'ACCOUNT_RESTRICTION':
      return 'restricted';
    case 'DISABLED_UPDATE': {
      // Meta sends `waba_ban_state` as an array (e.g. ["DISABLE"]); only a ban disconnects.
      const state = (value.ban_info as { waba_ban_state?: unknown } | undefined)?.waba_ban_state;
      const states = Array.isArray(state) ? state : [state];
      return states.includes('DISABLE') ? 'disconnected' : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Applies a WABA-level `account_update` to that WABA's channels and records `channel.updated`.
 * PARTNER_REMOVED also ends the subscription: the business took our access away.
 */
export async function applyAccountUpdate(tx: EntityManager, clock: Clock, change: MetaChange): Promise<void> {
  const target = targetOf(change.value);
  if (!target) return;
  const wabaInfo = change.value.waba_info as { waba_id?: unknown } | undefined;
  const wabaId = String(wabaInfo?.waba_id ?? change.wabaId);
  const channels = await tx.find(Channel, { wabaId, status: { $ne: 'deleted' } }, { populate: ['client'] });
  for (const channel of channels) {
    if (!canTransition(channel.status, target) || channel.status === target) continue;
    moveChannel(channel, target, String(change.value.event));
    const changed = ['status'];
    if (change.value.event === 'PARTNER_REMOVED') channel.wabaSubscribedAt = null;
    await recordChannelUpdated(tx, clock, channel, changed);
  }
  await tx.flush();
}
