import type { EntityManager } from '@mikro-orm/postgresql';
import { type PruneBudget, pruneInBatches } from '../../db/prune.ts';

/** Deletes audit rows written before `before` (`AUDIT_LOG_RETENTION_DAYS`), a batch at a time. */
export function pruneAuditLogs(em: EntityManager, before: Date, budget: PruneBudget): Promise<number> {
  return pruneInBatches(
    em,
    budget,
    `delete from audit_logs where id in (
       select id from audit_logs where created_at < ? order by created_at limit ?)`,
    [before],
  );
}
