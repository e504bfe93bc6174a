import { chargeStatementTask, enforceBillingGraceTask, issueStatementsTask } from './tasks/billing.ts';
import { deliverWebhooks } from './tasks/deliver-webhooks.ts';
import { expireOnboardingSessions } from './tasks/expire-onboarding-sessions.ts';
import { pruneExpired } from './tasks/prune-expired.ts';
import { refreshTemplatesTask } from './tasks/refresh-templates.ts';
import { sendHeartbeatsTask } from './tasks/send-heartbeats.ts';
import { syncBusinessAppTask } from './tasks/sync-business-app.ts';

/** Every job the hub runs, by graphile-worker task identifier. A task's payload is validated when enqueued and again when run. */
export const taskCatalog = {
  prune_expired: pruneExpired,
  deliver_webhooks: deliverWebhooks,
  expire_onboarding_sessions: expireOnboardingSessions,
  send_heartbeats: sendHeartbeatsTask,
  sync_business_app: syncBusinessAppTask,
  refresh_templates: refreshTemplatesTask,
  charge_statement: chargeStatementTask,
  issue_statements: issueStatementsTask,
  enforce_billing_grace: enforceBillingGraceTask,
} as const;

export type TaskName = keyof typeof taskCatalog;

/** Recurring jobs, in graphile-worker crontab syntax. */
export const crontab = [
  '0 * * * * prune_expired ?max=1',
  '* * * * * expire_onboarding_sessions ?max=1',
  '30 * * * * send_heartbeats ?max=1',
  // Last month's statements, early on the 1st (UTC).
  '0 2 1 * * issue_statements ?max=1',
  '*/10 * * * * enforce_billing_grace ?max=1',
].join('\n');
