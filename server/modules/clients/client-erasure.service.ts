import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { query, run } from '../../db/sql.ts';
import { AppError } from '../../errors.ts';
import { SESSION_TABLE } from '../../hosted/session.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { Channel } from '../channels/channel.entity.ts';
import { Permission } from '../permissions/permission.entity.ts';
import { revokePermission } from '../permissions/permissions.service.ts';
import { recordEvents } from '../webhooks/record-events.ts';
import { Client } from './client.entity.ts';
import { authenticateClientUser } from './client-accounts.service.ts';
import { ClientUser } from './client-user.entity.ts';

/**
 * GDPR erasure, one service for the operator CLI and the client hub. What is erased and what
 * is kept is documented in docs/hosted-pages.md ("Deleting an account").
 */

export interface ClientErasure {
  clientId: string;
  users: number;
  channels: number;
  /** Grants revoked by the erasure, each with its `permission.revoked` event. */
  revokedPermissions: string[];
}

/**
 * Erases a client in one transaction: every current grant is revoked as the client would
 * revoke it (audit row and `permission.revoked` event, the partner's channel webhook removed),
 * every partner that heard about the client gets `client.deleted`, then its users, their
 * sessions, its channels (with Meta tokens and PINs), channel keys, grant history, onboarding
 * sessions and the channels' events go. Audit rows about it are kept as who/what/when, with
 * addresses, user agents and details redacted.
 */
export async function eraseClient(
  em: EntityManager,
  clock: Clock,
  clientId: string,
  actor: Actor,
): Promise<ClientErasure> {
  return em.transactional(async (tx) => {
    const client = await tx.findOne(
      Client,
      { id: clientId },
      { populate: ['partner'], lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!client) throw new AppError('not_found', `No client ${clientId}`);
    const users = await tx.find(ClientUser, { client });
    const channels = await tx.find(Channel, { client });
    const history = await tx.find(Permission, { client }, { populate: ['partner', 'channel'] });
    const channelIds = channels.map((c) => c.id);
    const userIds = users.map((u) => u.id);

    await redactAuditOf(tx, [client.id, ...userIds, ...channelIds, ...history.map((p) => p.id)], userIds);
    if (channelIds.length > 0) {
      // Inbound messages name the client's customers. Events still being delivered are kept
      // (their channel reference goes with the channel) and pruned with the rest, as are the
      // events this erasure records below.
      await run(
        tx,
        `delete from webhook_events e where e.channel_id in (?)
           and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')`,
        [channelIds],
      );
    }
    // Rows written from here on name the actor, never its address or browser.
    const bare: Actor = { type: actor.type, id: actor.id };
    const revoked: string[] = [];
    for (const grant of history.filter((p) => !p.revokedAt)) {
      const done = await revokePermission(tx, clock, grant.partner, grant.channel, bare);
      if (done) revoked.push(done.id);
    }
    const audience = new Set([client.partner.id, ...history.map((p) => p.partner.id)]);
    await recordEvents(
      tx,
      clock,
      [...audience].map((partnerId) => ({
        partnerId,
        type: 'client.deleted' as const,
        data: { client_id: client.id, external_id: client.externalId ?? null },
      })),
    );
    recordAudit(tx, bare, {
      partner: client.partner,
      action: 'client.erased',
      target: { type: 'client', id: client.id },
      details: { users: users.length, channels: channels.length, revoked_permissions: revoked.length },
    });
    await tx.flush();

    await endSessionsOf(tx, userIds);
    if (channelIds.length > 0) {
      await run(tx, 'delete from channel_api_keys where channel_id in (?)', [channelIds]);
    }
    await run(tx, 'delete from onboarding_sessions where client_id = ?', [client.id]);
    await run(tx, 'delete from permissions where client_id = ?', [client.id]);
    // Linked-device sessions, their credentials and queued work: the owning worker loses the
    // lease at its next renewal and closes the socket.
    const sessions = 'select id from linked_device_sessions where client_id = ?';
    await run(tx, `delete from linked_device_commands where session_id in (${sessions})`, [client.id]);
    await run(tx, `delete from linked_device_auth where session_id in (${sessions})`, [client.id]);
    await run(tx, 'delete from linked_device_sessions where client_id = ?', [client.id]);
    await run(tx, 'delete from channels where client_id = ?', [client.id]);
    // client_users go by cascade.
    await run(tx, 'delete from clients where id = ?', [client.id]);
    for (const entity of [...users, ...channels, ...history, client])
      tx.getUnitOfWork().unsetIdentity(entity);
    return {
      clientId: client.id,
      users: users.length,
      channels: channels.length,
      revokedPermissions: revoked,
    };
  });
}

export type AccountDeletion = { deleted: false } | { deleted: true; clientErased: boolean };

/**
 * A client user deletes their own account, confirming with their password. The last user of
 * a client takes the client with them (eraseClient); otherwise only the user, their sessions
 * and the personal data in audit rows go.
 */
export async function deleteOwnAccount(
  em: EntityManager,
  clock: Clock,
  userId: string,
  password: string,
  actor: Actor,
): Promise<AccountDeletion> {
  const user = await em.findOne(ClientUser, { id: userId }, { populate: ['client'] });
  if (!user) throw new AppError('not_found', 'This account no longer exists');
  // The login check itself, so password verification has one implementation (and one bound).
  if (!(await authenticateClientUser(em, clock, user.email, password))) return { deleted: false };
  const others = await em.count(ClientUser, { client: user.client, id: { $ne: user.id } });
  if (others === 0) {
    await eraseClient(em, clock, user.client.id, actor);
    return { deleted: true, clientErased: true };
  }
  await em.transactional(async (tx) => {
    await redactAuditOf(tx, [user.id], [user.id]);
    recordAudit(
      tx,
      { type: actor.type, id: actor.id },
      {
        partner: user.client.partner,
        action: 'client_user.deleted',
        target: { type: 'client_user', id: user.id },
        details: { client_id: user.client.id },
      },
    );
    await tx.flush();
    await endSessionsOf(tx, [user.id]);
    await run(tx, 'delete from client_users where id = ?', [user.id]);
    tx.getUnitOfWork().unsetIdentity(user);
  });
  return { deleted: true, clientErased: false };
}

/** Keeps who did what to which id, and when; drops where from, with which browser, and details. */
async function redactAuditOf(tx: EntityManager, targetIds: string[], actorIds: string[]): Promise<void> {
  const redact = 'update audit_logs set ip = null, user_agent = null, details = null where';
  await run(tx, `${redact} target_id in (?)`, [targetIds]);
  if (actorIds.length > 0) {
    await run(tx, `${redact} actor_type = 'client_user' and actor_id in (?)`, [actorIds]);
  }
}

/** Logs the users out everywhere: their hosted-page sessions are deleted. */
async function endSessionsOf(tx: EntityManager, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await query(tx, `delete from ${SESSION_TABLE} where (sess -> 'passport' ->> 'user') in (?)`, [userIds]);
}
