import { Migration } from '@mikro-orm/migrations';

/** The table connect-pg-simple stores hosted-page sessions in (its table.sql, under our name). */
export class Migration20261124090000_client_sessions extends Migration {
  override name = 'Migration20261124090000_client_sessions';

  override up(): void {
    this.addSql(
      `create table "client_sessions" ("sid" varchar not null primary key, "sess" json not null, "expire" timestamp(6) not null);`,
    );
    this.addSql(`create index "client_sessions_expire_index" on "client_sessions" ("expire");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "client_sessions";`);
  }
}
