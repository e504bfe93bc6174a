import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelGrantView } from '../../../shared/schemas/channel.ts';
import type { AuditActorType } from '../../../shared/statuses.ts';
import { AppError } from '../../errors.ts';
import { decodeCursor, type Page, type PageQuery, toPage } from '../../pagination.ts';
import { AuditLog } from '../audit/audit-log.entity.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { Permission } from './permission.entity.ts';

/**
 * The partner's own grants of one channel, newest first: each grant is a row that revoking
 * stamps, so the rows are the history. Another partner's grants of the same number are never
 * shown, and a channel the partner never held is not found. A partner whose access was revoked
 * still sees its history (it is its own), though the channel itself answers 404 to it.
 */
export async function listGrantHistory(
  em: EntityManager,
  partner: Partner,
  channelId: string,
  query: PageQuery,
): Promise<Page<ChannelGrantView>> {
  const before = decodeCursor(query.cursor, 'permission');
  const rows = await em.find(
    Permission,
    { partner, channel: channelId, ...(before ? { id: { $lt: before } } : {}) },
    { orderBy: { id: 'desc' }, limit: query.limit + 1 },
  );
  // An empty page (also past the end, with a cursor) must not tell a channel never held from one held.
  if (rows.length === 0 && (await em.count(Permission, { partner, channel: channelId })) === 0) {
    throw new AppError('not_found', `No channel ${channelId}`);
  }
  const page = toPage(rows, query.limit, (p) => p.id);
  const actors = await actorTypesOf(
    em,
    partner,
    page.items.map((p) => p.id),
  );
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((p) => ({
      id: p.id,
      channel_id: p.channel.id,
      client_id: p.client.id,
      granted_at: p.grantedAt.toISOString(),
      granted_by: actorOf(actors.get(`permission.granted:${p.id}`), p.grantedBy),
      revoked_at: p.revokedAt?.toISOString() ?? null,
      revoked_by: p.revokedAt ? actorOf(actors.get(`permission.revoked:${p.id}`), p.revokedBy) : null,
    })),
  };
}

/** The grant row keeps only the actor's id; the audit entry of the same change says what kind it was. */
async function actorTypesOf(
  em: EntityManager,
  partner: Partner,
  permissionIds: string[],
): Promise<Map<string, AuditActorType>> {
  if (permissionIds.length === 0) return new Map();
  const entries = await em.find(
    AuditLog,
    {
      partner,
      targetType: 'permission',
      targetId: { $in: permissionIds },
      action: { $in: ['permission.granted', 'permission.revoked'] },
    },
    { fields: ['action', 'targetId', 'actorType'] },
  );
  return new Map(entries.map((e) => [`${e.action}:${e.targetId}`, e.actorType]));
}

function actorOf(type: AuditActorType | undefined, id: string | null | undefined) {
  if (!type && !id) return null;
  return { type: type ?? null, id: id ?? null };
}
