import type { EntityManager } from '@mikro-orm/postgresql';
import { run } from '../../db/sql.ts';

/** Rows per delete: each batch is its own short transaction, so nothing is locked for long. */
export const PRUNE_BATCH = 5_000;

export interface PruneBudget {
  /** Stop starting batches after this long; the next hourly run carries on. */
  deadline: number;
}

/**
 * Deletes events older than `before`, with their deliveries and attempts (the foreign keys
 * cascade), a batch at a time. An event with a delivery still pending is kept until it is done.
 */
export async function pruneEvents(em: EntityManager, before: Date, budget: PruneBudget): Promise<number> {
  let deleted = 0;
  while (performance.now() < budget.deadline) {
    const n = await run(
      em,
      `delete from webhook_events where id in (
         select e.id from webhook_events e
          where e.created_at < ?
            and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
          order by e.created_at limit ?)`,
      [before, PRUNE_BATCH],
    );
    deleted += n;
    if (n < PRUNE_BATCH) break;
  }
  return deleted;
}

/**
 * Deletes raw Meta payloads received before `before`, a batch at a time. Ones that could not be
 * routed are kept for an operator to deal with. With them goes the record that deduplicates
 * Meta's retries, so keep them at least as long as Meta retries (7 days).
 */
export async function pruneMetaWebhooks(
  em: EntityManager,
  before: Date,
  budget: PruneBudget,
): Promise<number> {
  let deleted = 0;
  while (performance.now() < budget.deadline) {
    const n = await run(
      em,
      `delete from meta_webhooks where id in (
         select id from meta_webhooks where received_at < ? and routed_at is not null order by received_at limit ?)`,
      [before, PRUNE_BATCH],
    );
    deleted += n;
    if (n < PRUNE_BATCH) break;
  }
  return deleted;
}
