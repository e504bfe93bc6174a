import { Migration } from '@mikro-orm/migrations';

/**
 * `completing`: an onboarding completion claims its session with a conditional update before
 * provisioning, so concurrent completions of one link provision once. The expiry index covers
 * it too, for completions abandoned by a crashed process.
 */
export class Migration20261202150742_onboarding_completing extends Migration {
  override name = 'Migration20261202150742_onboarding_completing';

  override up(): void | Promise<void> {
    this.addSql(`drop index "onboarding_sessions_open_expiry_index";`);
    this.addSql(`alter table "onboarding_sessions" drop constraint "onboarding_sessions_status_check";`);
    this.addSql(
      `create index "onboarding_sessions_open_expiry_index" on "onboarding_sessions" ("expires_at") where status in ('pending', 'opened', 'completing');`,
    );
    this.addSql(
      `alter table "onboarding_sessions" add constraint "onboarding_sessions_status_check" check ("status" in ('pending', 'opened', 'completing', 'completed', 'failed', 'cancelled', 'expired'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "onboarding_sessions_open_expiry_index";`);
    this.addSql(`alter table "onboarding_sessions" drop constraint "onboarding_sessions_status_check";`);
    this.addSql(
      `create index "onboarding_sessions_open_expiry_index" on "onboarding_sessions" ("expires_at") where status in ('pending', 'opened');`,
    );
    this.addSql(
      `alter table "onboarding_sessions" add constraint "onboarding_sessions_status_check" check ("status" in ('pending', 'opened', 'completed', 'failed', 'cancelled', 'expired'));`,
    );
  }
}
