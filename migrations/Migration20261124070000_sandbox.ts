import { Migration } from '@mikro-orm/migrations';

/**
 * The Meta sandbox's state: the Meta-side objects (businesses, WABAs, phone numbers) and
 * credentials the emulator hands out. Its own schema, written by hand and ignored by the
 * entity diff (server/db/orm.ts), so it never mixes with the hub's model.
 */
export class Migration20261124070000_sandbox extends Migration {
  override name = 'Migration20261124070000_sandbox';

  override up(): void {
    this.addSql(`create schema if not exists "sandbox";`);
    this.addSql(
      `create table "sandbox"."businesses" ("id" varchar(20) primary key, "name" text not null, "system_user_id" varchar(20) not null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `create table "sandbox"."wabas" ("id" varchar(20) primary key, "business_id" varchar(20) not null references "sandbox"."businesses" ("id") on delete cascade, "name" text not null, "ban_state" varchar(32) null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "wabas_business_id_index" on "sandbox"."wabas" ("business_id");`);
    this.addSql(
      `create table "sandbox"."phone_numbers" ("id" varchar(20) primary key, "waba_id" varchar(20) not null references "sandbox"."wabas" ("id") on delete cascade, "phone_number" varchar(16) not null, "verified_name" text not null, "connection_type" varchar(16) not null, "status" varchar(16) not null default 'PENDING', "quality_rating" varchar(8) not null default 'GREEN', "pin" varchar(6) null, "registered_at" timestamptz null, "created_at" timestamptz not null, constraint "phone_numbers_connection_type_check" check ("connection_type" in ('cloud_api', 'coexistence')));`,
    );
    this.addSql(
      `create unique index "phone_numbers_phone_number_unique" on "sandbox"."phone_numbers" ("phone_number");`,
    );
    this.addSql(
      `create index "phone_numbers_waba_id_id_index" on "sandbox"."phone_numbers" ("waba_id", "id");`,
    );
    this.addSql(
      `create table "sandbox"."auth_codes" ("code_hash" char(64) primary key, "business_id" varchar(20) not null references "sandbox"."businesses" ("id") on delete cascade, "waba_id" varchar(20) not null references "sandbox"."wabas" ("id") on delete cascade, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null);`,
    );
    this.addSql(
      `create table "sandbox"."access_tokens" ("token_hash" char(64) primary key, "business_id" varchar(20) not null references "sandbox"."businesses" ("id") on delete cascade, "user_id" varchar(20) not null, "issued_at" timestamptz not null, "expires_at" timestamptz null, "invalidated_at" timestamptz null);`,
    );
    this.addSql(
      `create table "sandbox"."token_scopes" ("token_hash" char(64) not null references "sandbox"."access_tokens" ("token_hash") on delete cascade, "scope" varchar(64) not null, "target_id" varchar(20) not null, primary key ("token_hash", "scope", "target_id"));`,
    );
    this.addSql(`create index "token_scopes_target_id_index" on "sandbox"."token_scopes" ("target_id");`);
    this.addSql(
      `create table "sandbox"."subscriptions" ("waba_id" varchar(20) not null references "sandbox"."wabas" ("id") on delete cascade, "app_id" varchar(20) not null, "override_callback_uri" text null, "created_at" timestamptz not null, primary key ("waba_id", "app_id"));`,
    );
    this.addSql(
      `create table "sandbox"."register_calls" ("id" bigint generated always as identity primary key, "phone_number_id" varchar(20) not null references "sandbox"."phone_numbers" ("id") on delete cascade, "called_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "register_calls_phone_number_id_called_at_index" on "sandbox"."register_calls" ("phone_number_id", "called_at");`,
    );
  }

  override down(): void {
    this.addSql(`drop schema if exists "sandbox" cascade;`);
  }
}
