import { Migration } from '@mikro-orm/migrations';

/** The table rate-limiter-flexible's PostgreSQL store expects (see RateLimiterPostgres#_getCreateTableStmt). */
export class Migration20261124060000_rate_limits extends Migration {
  override name = 'Migration20261124060000_rate_limits';

  override up(): void {
    this.addSql(
      `create table "rate_limits" ("key" varchar(255) primary key, "points" integer not null default 0, "expire" bigint);`,
    );
    this.addSql(`create index "rate_limits_expire_index" on "rate_limits" ("expire");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "rate_limits";`);
  }
}
