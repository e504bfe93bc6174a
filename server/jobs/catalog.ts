import { pruneIdempotencyKeys } from './tasks/prune-idempotency-keys.ts';

/** Every job the hub runs, by graphile-worker task identifier. A task's payload is validated when enqueued and again when run. */
export const taskCatalog = {
  prune_idempotency_keys: pruneIdempotencyKeys,
} as const;

export type TaskName = keyof typeof taskCatalog;

/** Recurring jobs, in graphile-worker crontab syntax. */
export const crontab = ['0 * * * * prune_idempotency_keys ?max=1'].join('\n');
