import { Migration } from '@mikro-orm/migrations';

export class Migration20261204085724_PortalSessions extends Migration {
  override name = 'Migration20261204085724_PortalSessions';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "portal_sessions" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "client_id" varchar(32) not null, "link_token_hash" varchar(64) not null, "link_expires_at" timestamptz not null, "show_deliveries" boolean not null default false, "created_by" varchar(64) null, "exchanged_at" timestamptz null, "session_token_hash" varchar(64) null, "expires_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "portal_sessions" add constraint "portal_sessions_link_token_hash_unique" unique ("link_token_hash");`,
    );
    this.addSql(
      `alter table "portal_sessions" add constraint "portal_sessions_session_token_hash_unique" unique ("session_token_hash");`,
    );
    this.addSql(
      `create index "portal_sessions_partner_id_id_index" on "portal_sessions" ("partner_id", "id");`,
    );
    this.addSql(`create index "portal_sessions_client_id_index" on "portal_sessions" ("client_id");`);

    this.addSql(
      `alter table "portal_sessions" add constraint "portal_sessions_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "portal_sessions" add constraint "portal_sessions_client_id_foreign" foreign key ("client_id") references "clients" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "portal_sessions" cascade;`);
  }
}
