import { Migration } from '@mikro-orm/migrations';

export class Migration20261204083747_ConsoleUsers extends Migration {
  override name = 'Migration20261204083747_ConsoleUsers';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "console_users" ("id" varchar(32) not null, "partner_id" varchar(32) null, "email" varchar(320) not null, "name" varchar(200) null, "password_hash" text not null, "role" text not null, "totp_secret_sealed" text null, "totp_enabled_at" timestamptz null, "totp_last_step" bigint null, "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "console_users" add constraint "console_users_email_unique" unique ("email");`);
    this.addSql(`create index "console_users_partner_id_id_index" on "console_users" ("partner_id", "id");`);

    this.addSql(
      `create table "console_invites" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "email" varchar(320) not null, "role" text not null, "token_hash" varchar(64) not null, "invited_by_id" varchar(32) null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "console_invites" add constraint "console_invites_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `create index "console_invites_partner_id_id_index" on "console_invites" ("partner_id", "id");`,
    );

    this.addSql(`alter table "audit_logs" drop constraint "audit_logs_actor_type_check";`);
    this.addSql(
      `alter table "audit_logs" add constraint "audit_logs_actor_type_check" check ("actor_type" in ('partner_token', 'channel_api_key', 'client_user', 'partner_user', 'operator', 'system'));`,
    );

    this.addSql(
      `alter table "console_users" add constraint "console_users_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "console_users" add constraint "console_users_role_check" check ("role" in ('owner', 'developer', 'viewer', 'operator'));`,
    );
    // Operators run the hub and belong to no partner; every other console user belongs to one.
    this.addSql(
      `alter table "console_users" add constraint "console_users_operator_check" check (("role" = 'operator') = ("partner_id" is null));`,
    );

    this.addSql(
      `alter table "console_invites" add constraint "console_invites_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "console_invites" add constraint "console_invites_invited_by_id_foreign" foreign key ("invited_by_id") references "console_users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "console_invites" add constraint "console_invites_role_check" check ("role" in ('owner', 'developer', 'viewer'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "console_invites" drop constraint "console_invites_invited_by_id_foreign";`);

    this.addSql(`drop table if exists "console_users" cascade;`);
    this.addSql(`drop table if exists "console_invites" cascade;`);

    this.addSql(`alter table "audit_logs" drop constraint "audit_logs_actor_type_check";`);
    this.addSql(
      `alter table "audit_logs" add constraint "audit_logs_actor_type_check" check ("actor_type" in ('partner_token', 'channel_api_key', 'client_user', 'operator', 'system'));`,
    );
  }
}
