import { Migration } from '@mikro-orm/migrations';

export class Migration20261124074003_meta_integration extends Migration {
  override name = 'Migration20261124074003_meta_integration';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "meta_webhooks" ("id" varchar(32) not null, "received_at" timestamptz not null, "payload" jsonb not null, "routed_at" timestamptz null, "error" text null, primary key ("id"));`,
    );
    this.addSql(`create index "meta_webhooks_received_at_index" on "meta_webhooks" ("received_at");`);

    this.addSql(`alter table "channels" drop constraint "channels_status_check";`);
    // `ready` became `live` in the channel lifecycle.
    this.addSql(`update "channels" set "status" = 'live' where "status" = 'ready';`);
    this.addSql(`alter table "channels" drop column "webhook_headers_sealed", drop column "webhook_url";`);
    this.addSql(
      `alter table "channels" add "connection_type" text not null default 'cloud_api', add "status_reason" varchar(200) null, add "meta_token_invalid_at" timestamptz null, add "registration_pin_sealed" text null, add "signup_code_hash" varchar(64) null, add "waba_subscribed_at" timestamptz null;`,
    );
    this.addSql(`alter table "channels" alter column "connection_type" drop default;`);
    this.addSql(`create index "channels_signup_code_hash_index" on "channels" ("signup_code_hash");`);
    this.addSql(
      `alter table "channels" add constraint "channels_connection_type_check" check ("connection_type" in ('cloud_api', 'coexistence'));`,
    );
    this.addSql(
      `alter table "channels" add constraint "channels_status_check" check ("status" in ('pending', 'connected', 'live', 'restricted', 'failed', 'disconnected', 'deleted'));`,
    );

    this.addSql(
      `alter table "permissions" add "webhook_url" text null, add "webhook_headers_sealed" text null;`,
    );

    this.addSql(`alter table "audit_logs" drop constraint "audit_logs_actor_type_check";`);
    this.addSql(
      `alter table "audit_logs" add constraint "audit_logs_actor_type_check" check ("actor_type" in ('partner_token', 'channel_api_key', 'client_user', 'operator', 'system'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "meta_webhooks" cascade;`);

    this.addSql(`drop index "channels_signup_code_hash_index";`);
    this.addSql(`alter table "channels" drop constraint "channels_connection_type_check";`);
    this.addSql(`alter table "channels" drop constraint "channels_status_check";`);
    this.addSql(
      `alter table "channels" drop column "connection_type", drop column "status_reason", drop column "meta_token_invalid_at", drop column "registration_pin_sealed", drop column "signup_code_hash", drop column "waba_subscribed_at";`,
    );
    this.addSql(
      `alter table "channels" add "webhook_url" text null, add "webhook_headers_sealed" text null;`,
    );
    this.addSql(`update "channels" set "status" = 'ready' where "status" = 'live';`);
    this.addSql(
      `update "channels" set "status" = 'disconnected' where "status" not in ('pending', 'ready', 'restricted', 'disconnected', 'deleted');`,
    );
    this.addSql(
      `alter table "channels" add constraint "channels_status_check" check ("status" in ('pending', 'ready', 'restricted', 'disconnected', 'deleted'));`,
    );

    this.addSql(`alter table "permissions" drop column "webhook_url", drop column "webhook_headers_sealed";`);

    this.addSql(`alter table "audit_logs" drop constraint "audit_logs_actor_type_check";`);
    this.addSql(
      `alter table "audit_logs" add constraint "audit_logs_actor_type_check" check ("actor_type" in ('partner_token', 'client_user', 'operator', 'system'));`,
    );
  }
}
