import { z } from 'zod';
import { pruneEndedCredentials } from '../../auth/credential-retention.ts';
import { run } from '../../db/sql.ts';
import { SESSION_TABLE } from '../../hosted/session.ts';
import { pruneCommands } from '../../linked-devices/commands.ts';
import { pruneAuditLogs } from '../../modules/audit/audit-retention.service.ts';
import { pruneChannelMessages } from '../../modules/messages/message-log.ts';
import { pruneFinishedOnboardingSessions } from '../../modules/onboarding/onboarding-retention.service.ts';
import { RATE_LIMIT_TABLE } from '../../modules/rate-limits/rate-limits.ts';
import { pruneUsageMessages } from '../../modules/usage/usage-ledger.ts';
import { pruneEvents, pruneMetaWebhooks } from '../../modules/webhooks/webhook-retention.service.ts';
import { pruneSandbox } from '../../sandbox/store/retention.ts';
import { defineTask } from '../task.ts';

/** An hourly run stops starting new batches after this long; the next one carries on. */
const RUN_BUDGET_MS = 5 * 60_000;

/**
 * Housekeeping: expired idempotency keys, rate-limit windows and hosted-page sessions, and
 * everything older than its retention (config `retention`, README: Retention), each through
 * `pruneInBatches` so no run holds a lock for long and a big backlog spreads over hourly runs.
 */
export const pruneExpired = defineTask({
  payload: z.object({}).loose(),
  async run(_payload, { em, clock, logger, config: { retention } }) {
    const now = clock.now();
    const budget = { deadline: performance.now() + RUN_BUDGET_MS };
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const pruned = {
      idempotencyKeys: await run(em, 'delete from idempotency_keys where expires_at <= ?', [now]),
      rateLimitWindows: await run(
        em,
        `delete from ${RATE_LIMIT_TABLE} where expire is not null and expire <= ?`,
        [now.getTime()],
      ),
      sessions: await run(em, `delete from ${SESSION_TABLE} where expire <= ?`, [now]),
      events: await pruneEvents(em, ago(retention.eventsMs), budget),
      usageMessages: await pruneUsageMessages(em, ago(retention.eventsMs), budget),
      channelMessages: await pruneChannelMessages(em, ago(retention.eventsMs), budget),
      metaWebhooks: await pruneMetaWebhooks(
        em,
        {
          routedBefore: ago(retention.metaWebhooksMs),
          unroutedBefore: ago(retention.unroutedMetaWebhooksMs),
        },
        budget,
      ),
      auditLogs: await pruneAuditLogs(em, ago(retention.auditLogsMs), budget),
      onboardingSessions: await pruneFinishedOnboardingSessions(
        em,
        ago(retention.onboardingSessionsMs),
        budget,
      ),
      credentials: await pruneEndedCredentials(em, ago(retention.credentialsMs), budget),
      sandbox: await pruneSandbox(em, now, ago(retention.sandboxMs), budget),
      // Answered (or expired) an hour ago: nobody waits for them any more.
      linkedDeviceCommands: await pruneCommands(em, ago(60 * 60_000)),
    };
    logger.info(pruned, 'pruned expired rows');
  },
});
