import type { QueryResult } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { SESSION_TABLE } from '../../hosted/session.ts';
import { IdempotencyKey } from '../../modules/idempotency/idempotency-key.entity.ts';
import { MetaWebhook } from '../../modules/inbound/meta-webhook.entity.ts';
import { RATE_LIMIT_TABLE } from '../../modules/rate-limits/rate-limits.ts';
import { defineTask } from '../task.ts';

/**
 * Raw Meta payloads are kept as long as Meta itself retries a webhook (7 days): long enough to
 * investigate or replay, short enough not to become a message archive. Unrouted ones (a
 * routing bug) are kept until someone deals with them.
 */
export const META_WEBHOOK_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Housekeeping: expired idempotency keys, rate-limit windows and hosted-page sessions, old raw Meta payloads. */
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
    const sessions = await em
      .getConnection()
      .execute<QueryResult>(`delete from ${SESSION_TABLE} where expire <= ?`, [now], 'run');
    const metaWebhooks = await em.nativeDelete(MetaWebhook, {
      routedAt: { $ne: null },
      receivedAt: { $lte: new Date(now.getTime() - META_WEBHOOK_RETENTION_MS) },
    });
    logger.info(
      {
        idempotencyKeys,
        rateLimitWindows: rateLimitWindows.affectedRows,
        sessions: sessions.affectedRows,
        metaWebhooks,
      },
      'pruned expired rows',
    );
  },
});
