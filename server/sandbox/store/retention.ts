import type { EntityManager } from '@mikro-orm/postgresql';
import { type PruneBudget, pruneInBatches } from '../../db/prune.ts';
import { REGISTER_WINDOW_MS } from './register-calls.ts';

/**
 * Prunes the Meta emulator's state (`SANDBOX_RETENTION_DAYS`): businesses created before
 * `before` with everything under them (WABAs, numbers, codes, tokens, subscriptions cascade),
 * unless a hub channel that is not deleted still runs on one of their WABAs, so a live sandbox
 * channel keeps working. Ended codes and tokens, and register calls outside Meta's window, go
 * on their own. The Stripe sandbox's old objects go too, except the customers the hub bills
 * (and what belongs to them), with its old idempotency keys and events.
 */
export async function pruneSandbox(
  em: EntityManager,
  now: Date,
  before: Date,
  budget: PruneBudget,
): Promise<number> {
  const registerBefore = new Date(Math.min(before.getTime(), now.getTime() - REGISTER_WINDOW_MS));
  const statements: [string, Date][] = [
    [
      `delete from sandbox.businesses where id in (
         select b.id from sandbox.businesses b
          where b.created_at < ?
            and not exists (
              select 1 from sandbox.wabas w join channels c on c.waba_id = w.id
               where w.business_id = b.id and c.status <> 'deleted')
          order by b.created_at limit ?)`,
      before,
    ],
    [
      `delete from sandbox.auth_codes where code_hash in (
         select code_hash from sandbox.auth_codes where expires_at < ? limit ?)`,
      before,
    ],
    [
      `delete from sandbox.access_tokens where token_hash in (
         select token_hash from sandbox.access_tokens where least(invalidated_at, expires_at) < ? limit ?)`,
      before,
    ],
    [
      `delete from sandbox.register_calls where id in (
         select id from sandbox.register_calls where called_at < ? limit ?)`,
      registerBefore,
    ],
    // The Stripe sandbox: old objects, unless they are (or belong to) a customer the hub bills.
    [
      `delete from sandbox.stripe_objects where id in (
         select o.id from sandbox.stripe_objects o
          where o.created_at < ?
            and coalesce(o.customer, o.id) not in (
              select billing_customer_id from clients where billing_customer_id is not null
              union all select billing_customer_id from partners where billing_customer_id is not null)
          order by o.created_at limit ?)`,
      before,
    ],
    [
      `delete from sandbox.stripe_idempotency_keys where (api_key_hash, key) in (
         select api_key_hash, key from sandbox.stripe_idempotency_keys where created_at < ? limit ?)`,
      before,
    ],
    [
      `delete from sandbox.stripe_events where id in (
         select id from sandbox.stripe_events where created_at < ? limit ?)`,
      before,
    ],
  ];
  let deleted = 0;
  for (const [statement, cutoff] of statements) {
    deleted += await pruneInBatches(em, budget, statement, [cutoff]);
  }
  return deleted;
}
