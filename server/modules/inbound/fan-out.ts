import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { Channel } from '../channels/channel.entity.ts';
import { Permission } from '../permissions/permission.entity.ts';
import { applyTemplateChange } from '../templates/template-webhooks.ts';
import { metaEnvelope } from '../webhooks/event-body.ts';
import { type EventToRecord, recordEvents } from '../webhooks/record-events.ts';
import { applyChannelState, revokeAccess } from './channel-state.ts';
import type { MetaChange } from './meta-changes.ts';
import { displayNumberOf, FAN_OUT_FIELDS, type FanOutField, fanOutData, wabaIdOf } from './waba-fields.ts';

const PLAUSIBLE_ID = /^\d{1,32}$/;

/** Current grants on these channels, as (partner, channel) pairs. */
async function holders(
  tx: EntityManager,
  channels: Channel[],
): Promise<{ partnerId: string; channelId: string }[]> {
  if (channels.length === 0) return [];
  const grants = await tx.find(Permission, { channel: { $in: channels.map((c) => c.id) }, revokedAt: null });
  return grants.map((g) => ({ partnerId: g.partner.id, channelId: g.channel.id }));
}

/**
 * One change of a field Meta sends only to the app's callback: applied to the channels it is
 * about (status, quality, limits), then, for every partner holding one of those channels (before
 * or after the change: a removal still tells those it removes, a restoration tells those it
 * gives the channel back to), one typed event and the change in Meta's envelope (`waba.change`,
 * for the channel's webhook). A WABA-level change reaches each channel of the WABA the partner
 * holds: one event and one envelope per channel. Returns the number of events recorded (0: the
 * change reached nobody and its payload is kept for `meta replay`).
 */
export async function routeFanOut(
  tx: EntityManager,
  clock: Clock,
  field: FanOutField,
  change: MetaChange,
): Promise<number> {
  const wabaId = wabaIdOf(change);
  if (!PLAUSIBLE_ID.test(wabaId)) return 0;
  const spec = FAN_OUT_FIELDS[field];
  if (spec.type.startsWith('template.')) await applyTemplateChange(tx, clock, { ...change, wabaId });
  let channels = await tx.find(Channel, { wabaId, status: { $ne: 'deleted' } }, { populate: ['client'] });
  if (spec.scope === 'phone') {
    const number = displayNumberOf(change);
    channels = channels.filter((c) => number !== null && c.phoneNumber === number);
  }
  if (channels.length === 0) return 0;

  const before = await holders(tx, channels);
  const { removed } = await applyChannelState(tx, clock, field, change, channels);
  const after = await holders(tx, channels);
  const pairs = new Map([...before, ...after].map((h) => [`${h.partnerId}/${h.channelId}`, h]));
  const byId = new Map(channels.map((c) => [c.id, c]));
  const envelope = metaEnvelope(change.wabaId, change.field, change.value);
  const events: EventToRecord[] = [];
  for (const { partnerId, channelId } of pairs.values()) {
    const channel = byId.get(channelId)!;
    events.push(
      { partnerId, channelId, type: spec.type, data: fanOutData(field, change, channel) },
      { partnerId, channelId, type: 'waba.change', body: envelope },
    );
  }
  await recordEvents(tx, clock, events);
  await revokeAccess(tx, clock, removed);
  return events.length;
}
