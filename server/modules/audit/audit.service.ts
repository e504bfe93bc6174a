import type { EntityManager } from '@mikro-orm/postgresql';
import type { Partner } from '../partners/partner.entity.ts';
import type { Actor } from './actor.ts';
import { AuditLog } from './audit-log.entity.ts';

export interface AuditEntry {
  partner: Partner | null;
  action: string;
  target?: { type: string; id: string };
  /** Non-secret facts only (names, last4, grace windows), never token or key material. */
  details?: Record<string, unknown>;
}

/** Persists with the caller's unit of work, so the row commits with the change it describes. */
export function recordAudit(em: EntityManager, actor: Actor, entry: AuditEntry): AuditLog {
  return em.create(AuditLog, {
    partner: entry.partner,
    actorType: actor.type,
    actorId: actor.id,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    requestId: actor.requestId ?? null,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    details: entry.details ?? null,
  });
}
