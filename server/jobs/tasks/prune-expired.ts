import type { QueryResult } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { IdempotencyKey } from '../../modules/idempotency/idempotency-key.entity.ts';
import { RATE_LIMIT_TABLE } from '../../modules/rate-limits/rate-limits.ts';
import { defineTask } from '../task.ts';

/** Housekeeping: idempotency keys past their 24 h and finished rate-limit windows are only weight. */
export const pruneExpired = defineTask({
  payload: z.object({}).loose(),
  async run(_payload, { em, clock, logger }) {
    const now = clock.now();
    const idempotencyKeys = await em.nativeDelete(IdempotencyKey, { expiresAt: { $lte: now } });
    const rateLimitWindows = await em
      .getConnection()
      .execute<QueryResult>(
        `delete from ${RATE_LIMIT_TABLE} where expire is not null and expire <= ?`,
        [now.getTime()],
        'run',
      );
    logger.info({ idempotencyKeys, rateLimitWindows: rateLimitWindows.affectedRows }, 'pruned expired rows');
  },
});
