import { Migration } from '@mikro-orm/migrations';

/** Audit-log retention deletes the oldest rows first: an index to find them. */
export class Migration20261202144814_retention extends Migration {
  override name = 'Migration20261202144814_retention';

  override up(): void | Promise<void> {
    this.addSql(`create index "audit_logs_created_at_index" on "audit_logs" ("created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "audit_logs_created_at_index";`);
  }
}
