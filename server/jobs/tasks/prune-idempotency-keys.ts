import { z } from 'zod';
import { IdempotencyKey } from '../../modules/idempotency/idempotency-key.entity.ts';
import { defineTask } from '../task.ts';

/** Idempotency keys promise replay for 24 h; after that the rows are only weight. */
export const pruneIdempotencyKeys = defineTask({
  payload: z.object({}).loose(),
  async run(_payload, { em, clock, logger }) {
    const deleted = await em.nativeDelete(IdempotencyKey, { expiresAt: { $lte: clock.now() } });
    if (deleted > 0) logger.info({ deleted }, 'pruned expired idempotency keys');
  },
});
