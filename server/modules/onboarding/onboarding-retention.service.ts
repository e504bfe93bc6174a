import type { EntityManager } from '@mikro-orm/postgresql';
import { type PruneBudget, pruneInBatches } from '../../db/prune.ts';

/**
 * Deletes onboarding sessions that finished (completed, failed, cancelled or expired) before
 * `before`, a batch at a time. Open ones are left to the expiry job. Nothing references a
 * session, and the client and channel it produced stay.
 */
export function pruneFinishedOnboardingSessions(
  em: EntityManager,
  before: Date,
  budget: PruneBudget,
): Promise<number> {
  return pruneInBatches(
    em,
    budget,
    `delete from onboarding_sessions where id in (
       select id from onboarding_sessions
        where status not in ('pending', 'opened') and coalesce(finished_at, expires_at) < ?
        order by created_at limit ?)`,
    [before],
  );
}
