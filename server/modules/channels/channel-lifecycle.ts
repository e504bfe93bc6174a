import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventData, EventType } from '../../../shared/events.ts';
import type { ChannelStatus } from '../../../shared/statuses.ts';
import type { Clock } from '../../clock.ts';
import { Partner } from '../partners/partner.entity.ts';
import { Permission } from '../permissions/permission.entity.ts';
import { type EventToRecord, recordEvents } from '../webhooks/record-events.ts';
import type { Channel } from './channel.entity.ts';

/**
 * Every status change a channel can make (docs/channels.md explains each). Anything else is a
 * bug, so it throws rather than silently corrupting the lifecycle.
 */
const TRANSITIONS: Record<ChannelStatus, readonly ChannelStatus[]> = {
  pending: ['connected', 'live', 'failed', 'disconnected'],
  connected: ['pending', 'live', 'restricted', 'failed', 'disconnected'],
  live: ['restricted', 'disconnected', 'deleted', 'pending'],
  restricted: ['live', 'disconnected', 'deleted', 'pending'],
  // A partner may disconnect a number whose provisioning failed.
  failed: ['pending', 'deleted', 'disconnected'],
  // Back to where it was: Meta shared the WABA again (PARTNER_ADDED) or reinstated it.
  disconnected: ['pending', 'deleted', 'connected', 'live', 'restricted'],
  deleted: [],
};

export function canTransition(from: ChannelStatus, to: ChannelStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export function moveChannel(channel: Channel, to: ChannelStatus, reason: string | null = null): void {
  if (!canTransition(channel.status, to))
    throw new Error(`channel ${channel.id}: no transition ${channel.status} → ${to}`);
  channel.status = to;
  channel.statusReason = reason;
}

/** Who hears about a channel: the partner its client signed up through, and every partner holding it. */
export async function channelAudience(em: EntityManager, channel: Channel): Promise<Partner[]> {
  const grants = await em.find(Permission, { channel, revokedAt: null }, { populate: ['partner'] });
  const owner = await em.findOneOrFail(Partner, { id: channel.client.partner.id });
  const byId = new Map<string, Partner>([[owner.id, owner]]);
  for (const g of grants) byId.set(g.partner.id, g.partner);
  return [...byId.values()];
}

/**
 * Whether the number can use the Cloud API as registered: a Cloud API number once the hub
 * registered it (its PIN is kept only then); a coexistence number, which needs no registration,
 * once its WABA is subscribed.
 */
export function isPhoneRegistered(channel: Channel): boolean {
  return channel.connectionType === 'coexistence'
    ? channel.wabaSubscribedAt != null
    : channel.registrationPinSealed != null;
}

/** One event about the channel for each partner of `audience`, checked against the catalogue at recording. */
export function eventForEach<T extends EventType>(
  audience: Partner[],
  channel: Channel,
  type: T,
  data: EventData<T>,
): EventToRecord[] {
  return audience.map((p) => ({ partnerId: p.id, channelId: channel.id, type, data }));
}

/**
 * `channel.created` and `channel.mode_resolved` (the connection type is known from the signup's
 * outcome) for everyone who hears about the channel; inside the caller's transaction.
 */
export async function recordChannelCreated(tx: EntityManager, clock: Clock, channel: Channel): Promise<void> {
  const data = {
    channel_id: channel.id,
    client_id: channel.client.id,
    phone_number: channel.phoneNumber,
    waba_id: channel.wabaId,
    phone_number_id: channel.phoneNumberId,
    status: channel.status,
    connection_type: channel.connectionType,
  };
  const audience = await channelAudience(tx, channel);
  await recordEvents(tx, clock, [
    ...eventForEach(audience, channel, 'channel.created', data),
    ...modeResolvedFor(audience, channel),
  ]);
}

function modeResolvedFor(audience: Partner[], channel: Channel) {
  const data = {
    channel_id: channel.id,
    client_id: channel.client.id,
    connection_type: channel.connectionType,
  };
  return eventForEach(audience, channel, 'channel.mode_resolved', data);
}

/** `channel.mode_resolved` alone: a reconnection changed the number's connection type. */
export async function recordModeResolved(tx: EntityManager, clock: Clock, channel: Channel): Promise<void> {
  await recordEvents(tx, clock, modeResolvedFor(await channelAudience(tx, channel), channel));
}

/** `channel.updated` for everyone who hears about the channel; inside the caller's transaction. */
export async function recordChannelUpdated(
  tx: EntityManager,
  clock: Clock,
  channel: Channel,
  changedFields: string[],
): Promise<void> {
  if (changedFields.length === 0) return;
  const data = {
    channel_id: channel.id,
    client_id: channel.client.id,
    status: channel.status,
    changed_fields: changedFields,
  };
  await recordEvents(
    tx,
    clock,
    eventForEach(await channelAudience(tx, channel), channel, 'channel.updated', data),
  );
}
