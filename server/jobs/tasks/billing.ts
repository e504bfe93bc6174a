import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { enforceGracePeriod } from '../../modules/billing/billing-status.service.ts';
import { chargeStatement } from '../../modules/billing/charge.service.ts';
import { previousPeriod } from '../../modules/billing/statement-lines.ts';
import { issueStatements } from '../../modules/billing/statements.service.ts';
import { defineTask } from '../task.ts';

/** Charges or invoices one statement (added with it); a provider outage throws, so the job retries. */
export const chargeStatementTask = defineTask({
  payload: z.object({ statement_id: safeString().min(1).max(64) }),
  async run(payload, { em, clock, payments, config }) {
    await chargeStatement(em, { clock, payments, graceMs: config.billing.graceMs }, payload.statement_id);
  },
});

/** On the 1st of each month: last month's statements (or `period`'s, when an operator asks). */
export const issueStatementsTask = defineTask({
  payload: z.object({
    period: safeString()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
      .optional(),
  }),
  async run(payload, { em, clock, logger }) {
    const period = payload.period ?? previousPeriod(clock.now());
    const { issued, skipped } = await issueStatements(em, clock, period);
    logger.info({ period, issued, skipped: skipped.length }, 'issued statements');
    for (const s of skipped) logger.warn({ period, ...s }, 'statement not issued');
  },
});

/** Stops sending for clients overdue past the grace period. */
export const enforceBillingGraceTask = defineTask({
  payload: z.object({}).passthrough(),
  async run(_payload, { em, clock, config, logger }) {
    const suspended = await enforceGracePeriod(em, clock, config.billing.graceMs);
    if (suspended > 0) logger.info({ suspended }, 'suspended sending for overdue clients');
  },
});
