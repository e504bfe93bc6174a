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
export function listAuditEntries(
  em: EntityManager,
  partner: Partner,
  query: AuditListQuery,
): Promise<Page<AuditLog>> {
  return findAuditEntries(em, { partner }, query);
}

/**
 * The operator's search across every partner (or one, with `partner_id`; `null` for the
 * operator's and the hub's own entries). Each filter walks an index on `(column, id)`.
 */
export function searchAuditEntries(
  em: EntityManager,
  query: AuditListQuery & { partner_id?: string | null | undefined },
): Promise<Page<AuditLog>> {
  const { partner_id, ...rest } = query;
  return findAuditEntries(em, partner_id === undefined ? {} : { partner: partner_id }, rest);
}

async function findAuditEntries(
  em: EntityManager,
  scope: FilterQuery<AuditLog> & object,
  query: AuditListQuery,
): Promise<Page<AuditLog>> {
  const before = decodeCursor(query.cursor, 'auditLog');
  const where: FilterQuery<AuditLog> & Record<string, unknown> = { ...scope };
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

/** The operator sees every entry whole: which partner, and every actor's address. */
export function toOperatorAuditEntryView(e: AuditLog) {
  return {
    ...toAuditEntryView(e),
    partner_id: e.partner?.id ?? null,
    ip: e.ip ?? null,
    user_agent: e.userAgent ?? null,
  };
}
