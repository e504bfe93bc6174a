import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelStatus } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import type { Actor } from '../audit/actor.ts';
import type { Channel } from '../channels/channel.entity.ts';
import { revokeChannelAccess } from '../channels/channel-access.ts';
import { canTransition, moveChannel, recordChannelUpdated } from '../channels/channel-lifecycle.ts';
import { Permission } from '../permissions/permission.entity.ts';
import { grantPermission } from '../permissions/permissions.service.ts';
import type { MetaChange } from './meta-changes.ts';
import { accountReasonOf, type FanOutField, intOf, qualityOf, str, tierOf, token } from './waba-fields.ts';

/** Who revoked grants and keys when Meta took the WABA away; restoring looks for this actor. */
export const META_REMOVAL_ACTOR: Actor = { type: 'system', id: 'meta:partner_removed' };
const META_ACTOR: Actor = { type: 'system', id: 'meta:account_update' };

/** Meta took the WABA away from the hub's app: the channel is disconnected and its access revoked. */
const REMOVAL_EVENTS = new Set(['PARTNER_REMOVED', 'PARTNER_APP_UNINSTALLED']);
/** Meta gave it back: the channel returns to the status it had. */
const RESTORE_EVENTS = new Set(['PARTNER_ADDED', 'PARTNER_APP_INSTALLED']);
/** Meta limits the account: the channel is restricted, with the violation or restriction as reason. */
const RESTRICT_EVENTS = new Set(['ACCOUNT_VIOLATION', 'ACCOUNT_RESTRICTION']);

function banStates(value: Record<string, unknown>): unknown[] {
  const state = (value.ban_info as { waba_ban_state?: unknown } | undefined)?.waba_ban_state;
  return Array.isArray(state) ? state : [state];
}

export interface StateOutcome {
  /** Channels Meta took away: their grants and keys are to be revoked once the events are recorded. */
  removed: Channel[];
}

/**
 * Applies what a fanned-out change says about the channels it names, and records
 * `channel.updated` for each channel that changed. Unknown events and malformed values change
 * nothing (the change is still forwarded and kept raw).
 */
export async function applyChannelState(
  tx: EntityManager,
  clock: Clock,
  field: FanOutField,
  change: MetaChange,
  channels: Channel[],
): Promise<StateOutcome> {
  const removed: Channel[] = [];
  for (const channel of channels) {
    const changed =
      field === 'account_update'
        ? await applyAccountUpdate(tx, clock, change.value, channel, removed)
        : applyCapabilities(field, change.value, channel);
    if (changed.length > 0) await recordChannelUpdated(tx, clock, channel, changed);
  }
  await tx.flush();
  return { removed };
}

/** The statuses Meta can take away; a channel that is pending, failed or already disconnected is left alone. */
const WORKING: readonly ChannelStatus[] = ['connected', 'live', 'restricted'];

/**
 * Moves the channel away from a working status, remembering it so Meta can give it back (one
 * step: a restricted channel that is then removed comes back restricted, without the reason).
 */
function leave(channel: Channel, to: ChannelStatus, reason: string): boolean {
  const from = channel.status;
  if (from === to || !WORKING.includes(from) || !canTransition(from, to)) return false;
  channel.previousStatus = from;
  moveChannel(channel, to, reason.slice(0, 200));
  return true;
}

function restore(channel: Channel, reasons: (reason: string) => boolean): boolean {
  const previous = channel.previousStatus;
  if (!previous || !reasons(channel.statusReason ?? '') || !canTransition(channel.status, previous))
    return false;
  if (channel.status !== 'disconnected' && channel.status !== 'restricted') return false;
  moveChannel(channel, previous, null);
  channel.previousStatus = null;
  return true;
}

async function applyAccountUpdate(
  tx: EntityManager,
  clock: Clock,
  value: Record<string, unknown>,
  channel: Channel,
  removed: Channel[],
): Promise<string[]> {
  const event = str(value.event, 64) ?? '';
  if (REMOVAL_EVENTS.has(event)) {
    if (!leave(channel, 'disconnected', event)) return [];
    channel.wabaSubscribedAt = null;
    removed.push(channel);
    return ['status'];
  }
  if (RESTORE_EVENTS.has(event)) {
    if (!restore(channel, (r) => REMOVAL_EVENTS.has(r))) return [];
    await regrant(tx, clock, channel);
    return ['status'];
  }
  if (RESTRICT_EVENTS.has(event)) {
    const reason = accountReasonOf(value);
    const text = reason ? `${event}: ${reason}` : event;
    if (channel.status === 'restricted') {
      if (channel.statusReason === text.slice(0, 200)) return [];
      channel.statusReason = text.slice(0, 200);
      return ['status_reason'];
    }
    return leave(channel, 'restricted', text) ? ['status'] : [];
  }
  if (event === 'DISABLED_UPDATE') {
    // Meta sends `waba_ban_state` as an array (e.g. ["DISABLE"]); only a ban disconnects.
    const states = banStates(value);
    if (states.includes('DISABLE')) return leave(channel, 'disconnected', event) ? ['status'] : [];
    if (states.includes('REINSTATE')) {
      const metaReason = (r: string) =>
        r === 'DISABLED_UPDATE' || [...RESTRICT_EVENTS].some((e) => r.startsWith(e));
      return restore(channel, metaReason) ? ['status'] : [];
    }
  }
  return [];
}

/** Quality rating, messaging limit, name decision: stored on the channel as Meta reports them. */
function applyCapabilities(field: FanOutField, value: Record<string, unknown>, channel: Channel): string[] {
  const changed: string[] = [];
  const set = <
    K extends 'qualityRating' | 'currentLimit' | 'nameStatus' | 'verifiedName' | 'maxPhoneNumbers',
  >(
    key: K,
    wire: string,
    next: Channel[K] | null,
  ) => {
    if (next === null || next === undefined || channel[key] === next) return;
    channel[key] = next;
    changed.push(wire);
  };
  if (field === 'phone_number_quality_update') {
    set('qualityRating', 'quality_rating', qualityOf(value));
    set(
      'currentLimit',
      'current_limit',
      tierOf(value.current_limit) ?? tierOf(value.max_daily_conversations_per_business),
    );
  } else if (field === 'business_capability_update') {
    set('currentLimit', 'current_limit', tierOf(value.max_daily_conversations_per_business));
    const max = intOf(value.max_phone_numbers_per_business);
    set('maxPhoneNumbers', 'max_phone_numbers', max !== null && max >= -1 && max < 2 ** 31 ? max : null);
  } else if (field === 'phone_number_name_update') {
    const decision = token(value.decision);
    set('nameStatus', 'name_status', decision);
    const name = str(value.requested_verified_name, 200);
    if (decision === 'APPROVED' && name) set('verifiedName', 'verified_name', name);
  }
  return changed;
}

/**
 * After Meta took the WABA away: every key of the channel is revoked, and every grant (with its
 * channel webhook). Grants come back when Meta gives the WABA back; keys do not.
 */
export const revokeAccess = (tx: EntityManager, clock: Clock, channels: Channel[]): Promise<void> =>
  revokeChannelAccess(tx, clock, channels, META_REMOVAL_ACTOR);

/** The grants the last removal revoked (all stamped with the same instant) are granted again. */
async function regrant(tx: EntityManager, clock: Clock, channel: Channel): Promise<void> {
  const revoked = await tx.find(
    Permission,
    { channel, revokedBy: META_REMOVAL_ACTOR.id },
    { populate: ['partner'], orderBy: { revokedAt: 'desc' } },
  );
  const last = revoked[0]?.revokedAt?.getTime();
  for (const grant of revoked) {
    if (grant.revokedAt?.getTime() !== last) break;
    await grantPermission(tx, clock, grant.partner, channel, META_ACTOR);
  }
}
