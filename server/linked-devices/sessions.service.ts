import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.ts';
import { query, run } from '../db/sql.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Actor } from '../modules/audit/actor.ts';
import { recordAudit } from '../modules/audit/audit.service.ts';
import { Channel } from '../modules/channels/channel.entity.ts';
import {
  moveChannel,
  recordChannelCreated,
  recordChannelUpdated,
} from '../modules/channels/channel-lifecycle.ts';
import type { Client } from '../modules/clients/client.entity.ts';
import type { Partner } from '../modules/partners/partner.entity.ts';
import { grantPermission } from '../modules/permissions/permissions.service.ts';
import { decodeCursor, type Page, type PageQuery, toPage } from '../pagination.ts';
import { LinkedDeviceSession } from './linked-device-session.entity.ts';
import { recordSessionStatus } from './session-events.ts';

/** What creating or restarting a pairing needs from the hub. */
export interface PairingDeps {
  clock: Clock;
  config: { linkedDevices: { pairingPerClient: number } };
}

export interface CreateSessionInput {
  partner: Partner;
  client: Client;
  name?: string | null | undefined;
  /** Digits: pair by a code typed on this phone instead of a QR code. */
  pairingPhoneNumber?: string | null | undefined;
}

/**
 * A new linked-device session and its channel (`connection_type: linked_device`, `pending`
 * until the phone pairs; its `phone_number_id` and `waba_id` are the session id), granted to the
 * partner: the channel then takes keys, webhooks and revocation like any other. Events
 * (`channel.created`, `permission.granted`, `session.status` PENDING) commit with it; a worker
 * claims the session and shows a QR code (docs/linked-devices.md). Callers authorise the client:
 * the partner API only for its own clients; the permission page for the signed-in client, who may
 * have signed up through another partner (the channel is the client's, granted to this partner,
 * as a number added by Embedded Signup there is).
 */
export async function createLinkedDeviceSession(
  em: EntityManager,
  deps: PairingDeps,
  input: CreateSessionInput,
  actor: Actor,
): Promise<LinkedDeviceSession> {
  const { clock } = deps;
  return em.transactional(async (tx) => {
    await lockPairingsOf(tx, input.client.id);
    await assertPairingRoom(tx, deps, input.client.id, null);
    const id = newId('linkedDeviceSession');
    const channel = tx.create(Channel, {
      client: input.client,
      phoneNumber: '',
      wabaId: id,
      phoneNumberId: id,
      status: 'pending',
      connectionType: 'linked_device',
    });
    const session = tx.create(LinkedDeviceSession, {
      id,
      partner: input.partner,
      client: input.client,
      channel,
      name: input.name ?? null,
      pairingPhoneNumber: input.pairingPhoneNumber ?? null,
    });
    recordAudit(tx, actor, {
      partner: input.partner,
      action: 'linked_device_session.created',
      target: { type: 'linked_device_session', id },
      details: { channel_id: channel.id, client_id: input.client.id },
    });
    await tx.flush();
    await recordChannelCreated(tx, clock, channel);
    await grantPermission(tx, clock, input.partner, channel, actor);
    await recordSessionStatus(tx, clock, session, null);
    return session;
  });
}

/**
 * A pairing (a session wanted active that never connected) holds a worker's socket and renews
 * its QR code every few seconds: one client may have at most
 * `LINKED_DEVICE_PAIRING_PER_CLIENT` at once, so a page left open in many tabs, or a hostile
 * caller, cannot take the runners from everyone else. An abandoned pairing frees its place when
 * its QR codes time out. Callers hold lockPairingsOf first, so two requests at once cannot both pass.
 */
async function assertPairingRoom(
  tx: EntityManager,
  deps: PairingDeps,
  clientId: string,
  restarting: string | null,
): Promise<void> {
  const limit = deps.config.linkedDevices.pairingPerClient;
  const [row] = await query<{ pairing: number }>(
    tx,
    `select count(*)::int pairing from linked_device_sessions
      where client_id = ? and desired = 'active' and connected_at is null and id is distinct from ?`,
    [clientId, restarting],
  );
  if (row!.pairing >= limit) {
    throw new AppError(
      'too_many_pairings',
      `This business is pairing ${row!.pairing} devices already (at most ${limit} at once): finish or stop one, or wait for its QR codes to time out`,
      { limit },
    );
  }
}

/** Serialises the client's pairing starts: its row, locked before any of its sessions (one lock order). */
async function lockPairingsOf(tx: EntityManager, clientId: string): Promise<void> {
  await query(tx, 'select id from clients where id = ? for update', [clientId]);
}

/** Sessions a partner sees: the ones it created (another partner's are indistinguishable from missing ones). */
export async function getLinkedDeviceSession(
  em: EntityManager,
  partner: Partner,
  sessionId: string,
): Promise<LinkedDeviceSession> {
  const session = await em.findOne(
    LinkedDeviceSession,
    { id: sessionId, partner },
    { populate: ['channel', 'client'], refresh: true },
  );
  if (!session) throw new AppError('not_found', `No linked-device session ${sessionId}`);
  return session;
}

export async function listLinkedDeviceSessions(
  em: EntityManager,
  partner: Partner,
  filter: PageQuery & { clientId?: string | undefined; status?: LinkedDeviceSession['status'] | undefined },
): Promise<Page<LinkedDeviceSession>> {
  const after = decodeCursor(filter.cursor, 'linkedDeviceSession');
  const rows = await em.find(
    LinkedDeviceSession,
    {
      partner,
      ...(filter.clientId ? { client: filter.clientId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(after ? { id: { $lt: after } } : {}),
    },
    { orderBy: { id: 'desc' }, limit: filter.limit + 1, populate: ['channel', 'client'] },
  );
  return toPage(rows, filter.limit, (s) => s.id);
}

/**
 * Ends a session for good from the hub's side: it stops being run (`desired: stopped`), its
 * owner (if any) unlinks the device from the phone and deletes the credentials (see the
 * runner), and the channel is disconnected. Logging out a logged-out session changes nothing.
 */
export async function requestLogout(
  em: EntityManager,
  clock: Clock,
  session: LinkedDeviceSession,
  actor: Actor,
): Promise<{ owned: boolean }> {
  return em.transactional(async (tx) => {
    const locked = await tx.findOneOrFail(
      LinkedDeviceSession,
      { id: session.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['channel', 'client'], refresh: true },
    );
    const owned = holdsLease(locked, clock.now());
    locked.desired = 'stopped';
    recordAudit(tx, actor, {
      partner: locked.partner,
      action: 'linked_device_session.logged_out',
      target: { type: 'linked_device_session', id: locked.id },
      details: { status: locked.status },
    });
    // Without an owner nothing can unlink the phone: the credentials go, and the status now.
    if (!owned) await markLoggedOut(tx, clock, locked, 'logged_out');
    await tx.flush();
    return { owned };
  });
}

/**
 * LOGGED_OUT, in the caller's transaction: pairing data cleared, the credentials deleted, the
 * channel disconnected (keys stay, and work again when the number is paired again).
 */
export async function markLoggedOut(
  tx: EntityManager,
  clock: Clock,
  session: LinkedDeviceSession,
  reason: string,
): Promise<void> {
  await run(tx, 'delete from linked_device_auth where session_id = ?', [session.id]);
  const previous = session.status;
  if (previous === 'LOGGED_OUT') return;
  session.status = 'LOGGED_OUT';
  session.statusReason = reason;
  session.qr = null;
  session.pairingCode = null;
  session.pairingExpiresAt = null;
  session.connectedAt = null;
  await tx.flush();
  await recordSessionStatus(tx, clock, session, previous);
  const channel = session.channel;
  if (channel.status !== 'disconnected') {
    moveChannel(channel, 'disconnected', 'linked_device_logged_out');
    await tx.flush();
    await recordChannelUpdated(tx, clock, channel, ['status']);
  }
}

/**
 * Pairs again: a LOGGED_OUT session, or one whose QR codes timed out (`idle`), goes back to
 * PENDING and a worker shows a new QR code (or pairing code, when `pairingPhoneNumber` is given).
 */
export async function restartPairing(
  em: EntityManager,
  deps: PairingDeps,
  session: LinkedDeviceSession,
  pairingPhoneNumber: string | null | undefined,
  actor: Actor,
): Promise<LinkedDeviceSession> {
  const { clock } = deps;
  return em.transactional(async (tx) => {
    await lockPairingsOf(tx, session.client.id);
    const locked = await tx.findOneOrFail(
      LinkedDeviceSession,
      { id: session.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['channel', 'client'], refresh: true },
    );
    if (locked.desired === 'active' && locked.status !== 'LOGGED_OUT') {
      throw new AppError('conflict', `The session is ${locked.status}: it is running already`, {
        status: locked.status,
      });
    }
    await assertPairingRoom(tx, deps, session.client.id, session.id);
    const previous = locked.status;
    locked.desired = 'active';
    locked.status = 'PENDING';
    locked.statusReason = null;
    if (pairingPhoneNumber !== undefined) locked.pairingPhoneNumber = pairingPhoneNumber;
    recordAudit(tx, actor, {
      partner: locked.partner,
      action: 'linked_device_session.restarted',
      target: { type: 'linked_device_session', id: locked.id },
    });
    await tx.flush();
    await recordSessionStatus(tx, clock, locked, previous);
    return locked;
  });
}

/**
 * The channel of a linked-device session was disconnected by its partner: the session stops
 * (its worker unlinks the phone at its next lease round); with no worker holding it, it is
 * logged out here. In the caller's transaction.
 */
export async function stopSessionOfChannel(tx: EntityManager, clock: Clock, channel: Channel): Promise<void> {
  const session = await tx.findOne(
    LinkedDeviceSession,
    { channel },
    { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['channel', 'client'] },
  );
  if (!session) return;
  session.desired = 'stopped';
  const owned = holdsLease(session, clock.now());
  if (!owned) await markLoggedOut(tx, clock, session, 'channel_disconnected');
  await tx.flush();
}

/** Whether a worker holds the session now (only that worker can unlink the phone). */
function holdsLease(session: LinkedDeviceSession, now: Date): boolean {
  return !!session.ownerId && !!session.leaseUntil && session.leaseUntil > now;
}
