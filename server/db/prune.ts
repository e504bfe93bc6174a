import type { EntityManager } from '@mikro-orm/postgresql';
import { run } from './sql.ts';

/** Rows per delete: each batch is its own short transaction, so nothing is locked for long. */
export const PRUNE_BATCH = 5_000;

export interface PruneBudget {
  /** Stop starting batches after this long; the next hourly run carries on. */
  deadline: number;
}

/**
 * Runs a batched delete until it deletes fewer than a batch or the budget runs out. The
 * statement must delete at most `limit ?` rows (its last parameter, supplied here), e.g.
 * `delete from t where id in (select id from t where created_at < ? order by created_at limit ?)`:
 * each run is one autocommitted statement, so a prune never holds locks across batches.
 */
export async function pruneInBatches(
  em: EntityManager,
  budget: PruneBudget,
  statement: string,
  params: readonly unknown[],
): Promise<number> {
  let deleted = 0;
  while (performance.now() < budget.deadline) {
    const n = await run(em, statement, [...params, PRUNE_BATCH]);
    deleted += n;
    if (n < PRUNE_BATCH) break;
  }
  return deleted;
}
