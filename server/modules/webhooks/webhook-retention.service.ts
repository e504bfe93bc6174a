import type { EntityManager } from '@mikro-orm/postgresql';
import { PRUNE_BATCH, type PruneBudget, pruneInBatches } from '../../db/prune.ts';

export { PRUNE_BATCH, type PruneBudget };

/**
 * Deletes events older than `before`, with their deliveries and attempts (the foreign keys
 * cascade), a batch at a time. An event with a delivery still pending is kept until it is done.
 */
export function pruneEvents(em: EntityManager, before: Date, budget: PruneBudget): Promise<number> {
  return pruneInBatches(
    em,
    budget,
    `delete from webhook_events where id in (
       select e.id from webhook_events e
        where e.created_at < ?
          and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
        order by e.created_at limit ?)`,
    [before],
  );
}

/**
 * Deletes raw Meta payloads a batch at a time: routed ones received before `routedBefore`, and
 * ones that could not be routed (kept longer, for an operator to deal with) before
 * `unroutedBefore`. With them goes the record that deduplicates Meta's retries, so keep both
 * at least as long as Meta retries (7 days).
 */
export async function pruneMetaWebhooks(
  em: EntityManager,
  cutoffs: { routedBefore: Date; unroutedBefore: Date },
  budget: PruneBudget,
): Promise<number> {
  const routed = await pruneInBatches(
    em,
    budget,
    `delete from meta_webhooks where id in (
       select id from meta_webhooks where received_at < ? and routed_at is not null order by received_at limit ?)`,
    [cutoffs.routedBefore],
  );
  const unrouted = await pruneInBatches(
    em,
    budget,
    `delete from meta_webhooks where id in (
       select id from meta_webhooks where received_at < ? and routed_at is null order by received_at limit ?)`,
    [cutoffs.unroutedBefore],
  );
  return routed + unrouted;
}
