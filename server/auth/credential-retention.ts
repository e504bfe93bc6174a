import type { EntityManager } from '@mikro-orm/postgresql';
import { type PruneBudget, pruneInBatches } from '../db/prune.ts';

/**
 * Deletes partner tokens and channel API keys that stopped working (revoked or expired,
 * whichever came first) before `before` (`CREDENTIAL_RETENTION_DAYS`). Until then they stay
 * listed, so a partner can still see which key a failing caller presents. Live ones (neither
 * revoked nor expiring) are never touched; nothing references either table.
 */
export async function pruneEndedCredentials(
  em: EntityManager,
  before: Date,
  budget: PruneBudget,
): Promise<number> {
  let deleted = 0;
  for (const table of ['partner_tokens', 'channel_api_keys']) {
    deleted += await pruneInBatches(
      em,
      budget,
      `delete from ${table} where id in (
         select id from ${table} where least(revoked_at, expires_at) < ? order by id limit ?)`,
      [before],
    );
  }
  return deleted;
}
