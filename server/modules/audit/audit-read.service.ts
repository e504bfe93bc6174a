import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { AuditEntryView, AuditListQuery } from '../../../shared/schemas/audit.ts';
import { decodeCursor, type Page, toPage } from '../../pagination.ts';
import type { Partner } from '../partners/partner.entity.ts';
import { AuditLog } from './audit-log.entity.ts';

/** Actors whose address is the partner's own to see: its tokens and its channel keys. */
const PARTNER_CREDENTIALS = new Set(['partner_token', 'channel_api_key']);

/**
 * The partner's own audit trail, newest first, walked on `(partner_id, id)`. Entries of other
 * partners, and the operator's entries without a partner, are never listed.
 */
export async function listAuditEntries(
  em: EntityManager,
  partner: Partner,
  query: AuditListQuery,
): Promise<Page<AuditLog>> {
  const before = decodeCursor(query.cursor, 'auditLog');
  const where: FilterQuery<AuditLog> = { partner };
  if (before) where.id = { $lt: before };
  if (query.action) where.action = query.action;
  else if (query.action_prefix) where.action = { $like: `${escapeLike(query.action_prefix)}%` };
  if (query.actor_type) where.actorType = query.actor_type;
  if (query.actor_id) where.actorId = query.actor_id;
  if (query.target_id) where.targetId = query.target_id;
  if (query.since || query.until) {
    where.createdAt = {
      ...(query.since ? { $gte: new Date(query.since) } : {}),
      ...(query.until ? { $lt: new Date(query.until) } : {}),
    };
  }
  const rows = await em.find(AuditLog, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
  return toPage(rows, query.limit, (e) => e.id);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A client user's or the operator's address is not the partner's to read. */
export function toAuditEntryView(e: AuditLog): AuditEntryView {
  const own = PARTNER_CREDENTIALS.has(e.actorType);
  return {
    id: e.id,
    actor_type: e.actorType,
    actor_id: e.actorId ?? null,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    request_id: e.requestId ?? null,
    ip: own ? (e.ip ?? null) : null,
    user_agent: own ? (e.userAgent ?? null) : null,
    details: e.details ?? null,
    created_at: e.createdAt.toISOString(),
  };
}
