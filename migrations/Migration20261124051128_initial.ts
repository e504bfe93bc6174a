import { Migration } from '@mikro-orm/migrations';

export class Migration20261124051128_initial extends Migration {
  override name = 'Migration20261124051128_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "partners" ("id" varchar(32) not null, "name" varchar(200) not null, "brand_name" varchar(200) null, "logo_url" text null, "webhook_url" text null, "partner_redirect_url" text null, "allowed_redirect_urls" jsonb not null, "webhook_secret_sealed" text not null, "previous_webhook_secret_sealed" text null, "previous_webhook_secret_expires_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "idempotency_keys" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "key" varchar(255) not null, "request_fingerprint" varchar(64) not null, "response_status" int null, "response_body" jsonb null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "idempotency_keys_expires_at_index" on "idempotency_keys" ("expires_at");`);
    this.addSql(
      `alter table "idempotency_keys" add constraint "idempotency_keys_partner_id_key_unique" unique ("partner_id", "key");`,
    );

    this.addSql(
      `create table "clients" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "name" varchar(200) null, "external_id" varchar(200) null, "partner_payload" text null, "status" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "clients_partner_id_id_index" on "clients" ("partner_id", "id");`);
    this.addSql(
      `create index "clients_partner_id_status_id_index" on "clients" ("partner_id", "status", "id");`,
    );
    this.addSql(
      `alter table "clients" add constraint "clients_partner_id_external_id_unique" unique ("partner_id", "external_id");`,
    );
    this.addSql(
      `alter table "clients" add constraint "clients_status_check" check ("status" in ('active', 'suspended'));`,
    );

    this.addSql(
      `create table "client_users" ("id" varchar(32) not null, "client_id" varchar(32) not null, "email" varchar(320) not null, "password_hash" text not null, "name" varchar(200) null, "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "client_users" add constraint "client_users_email_unique" unique ("email");`);
    this.addSql(`create index "client_users_client_id_id_index" on "client_users" ("client_id", "id");`);

    this.addSql(
      `create table "channels" ("id" varchar(32) not null, "client_id" varchar(32) not null, "phone_number" varchar(32) not null, "display_name" varchar(200) null, "verified_name" varchar(200) null, "business_id" varchar(64) null, "waba_id" varchar(64) not null, "phone_number_id" varchar(64) not null, "status" text not null, "quality_rating" varchar(32) null, "meta_token_sealed" text null, "meta_token_expires_at" timestamptz null, "webhook_url" text null, "webhook_headers_sealed" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "channels_phone_number_index" on "channels" ("phone_number");`);
    this.addSql(`create index "channels_waba_id_index" on "channels" ("waba_id");`);
    this.addSql(
      `alter table "channels" add constraint "channels_phone_number_id_unique" unique ("phone_number_id");`,
    );
    this.addSql(`create index "channels_client_id_id_index" on "channels" ("client_id", "id");`);
    this.addSql(
      `alter table "channels" add constraint "channels_status_check" check ("status" in ('pending', 'ready', 'restricted', 'disconnected', 'deleted'));`,
    );

    this.addSql(
      `create table "onboarding_sessions" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "url_token_hash" varchar(64) not null, "tenant_id" varchar(200) not null, "tenant_name" varchar(200) null, "success_redirect_url" text null, "failure_redirect_url" text null, "cancel_redirect_url" text null, "webhook_override_url" text null, "webhook_verify_token_sealed" text null, "metadata" jsonb null, "connection_types" jsonb not null, "status" text not null, "failure_reason" varchar(100) null, "client_id" varchar(32) null, "channel_id" varchar(32) null, "expires_at" timestamptz not null, "opened_at" timestamptz null, "finished_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "onboarding_sessions" add constraint "onboarding_sessions_url_token_hash_unique" unique ("url_token_hash");`,
    );
    this.addSql(
      `create index "onboarding_sessions_partner_id_id_index" on "onboarding_sessions" ("partner_id", "id");`,
    );
    this.addSql(
      `create index "onboarding_sessions_partner_id_tenant_id_id_index" on "onboarding_sessions" ("partner_id", "tenant_id", "id");`,
    );
    this.addSql(
      `create index "onboarding_sessions_open_expiry_index" on "onboarding_sessions" ("expires_at") where status in ('pending', 'opened');`,
    );
    this.addSql(
      `alter table "onboarding_sessions" add constraint "onboarding_sessions_status_check" check ("status" in ('pending', 'opened', 'completed', 'failed', 'cancelled', 'expired'));`,
    );

    this.addSql(
      `create table "channel_api_keys" ("id" varchar(32) not null, "channel_id" varchar(32) not null, "partner_id" varchar(32) not null, "key_hash" varchar(64) not null, "last4" varchar(4) not null, "created_at" timestamptz not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "channel_api_keys" add constraint "channel_api_keys_key_hash_unique" unique ("key_hash");`,
    );
    this.addSql(
      `create index "channel_api_keys_channel_id_id_index" on "channel_api_keys" ("channel_id", "id");`,
    );
    this.addSql(
      `create index "channel_api_keys_partner_id_id_index" on "channel_api_keys" ("partner_id", "id");`,
    );

    this.addSql(
      `create table "audit_logs" ("id" varchar(32) not null, "partner_id" varchar(32) null, "actor_type" text not null, "actor_id" varchar(64) null, "action" varchar(100) not null, "target_type" varchar(64) null, "target_id" varchar(64) null, "request_id" varchar(128) null, "ip" varchar(64) null, "user_agent" text null, "details" jsonb null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "audit_logs_partner_id_id_index" on "audit_logs" ("partner_id", "id");`);
    this.addSql(`create index "audit_logs_target_id_index" on "audit_logs" ("target_id");`);
    this.addSql(
      `alter table "audit_logs" add constraint "audit_logs_actor_type_check" check ("actor_type" in ('partner_token', 'client_user', 'operator', 'system'));`,
    );

    this.addSql(
      `create table "partner_tokens" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "token_hash" varchar(64) not null, "last4" varchar(4) not null, "created_at" timestamptz not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "partner_tokens" add constraint "partner_tokens_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `create index "partner_tokens_partner_id_id_index" on "partner_tokens" ("partner_id", "id");`,
    );

    this.addSql(
      `create table "permissions" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "channel_id" varchar(32) not null, "client_id" varchar(32) not null, "granted_at" timestamptz not null, "granted_by" varchar(64) null, "revoked_at" timestamptz null, "revoked_by" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(`create index "permissions_channel_id_id_index" on "permissions" ("channel_id", "id");`);
    this.addSql(
      `create index "permissions_client_current_index" on "permissions" ("client_id", "partner_id") where revoked_at is null;`,
    );
    this.addSql(
      `create unique index "permissions_current_unique" on "permissions" ("partner_id", "channel_id") where revoked_at is null;`,
    );

    this.addSql(
      `create table "webhook_events" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "channel_id" varchar(32) null, "type" varchar(100) not null, "data" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_events_partner_id_id_index" on "webhook_events" ("partner_id", "id");`,
    );
    this.addSql(
      `create index "webhook_events_partner_id_type_id_index" on "webhook_events" ("partner_id", "type", "id");`,
    );

    this.addSql(
      `create table "webhook_deliveries" ("id" varchar(32) not null, "event_id" varchar(32) not null, "partner_id" varchar(32) not null, "destination" text not null, "url" text not null, "status" text not null, "attempt_count" int not null, "next_attempt_at" timestamptz null, "last_attempt_at" timestamptz null, "lease_expires_at" timestamptz null, "succeeded_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_deliveries_partner_id_id_index" on "webhook_deliveries" ("partner_id", "id");`,
    );
    this.addSql(`create index "webhook_deliveries_event_id_index" on "webhook_deliveries" ("event_id");`);
    this.addSql(
      `create index "webhook_deliveries_due_index" on "webhook_deliveries" ("next_attempt_at") where status = 'pending';`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_destination_check" check ("destination" in ('partner_webhook', 'channel_webhook', 'endpoint'));`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_status_check" check ("status" in ('pending', 'succeeded', 'failed'));`,
    );

    this.addSql(
      `create table "webhook_attempts" ("id" varchar(32) not null, "delivery_id" varchar(32) not null, "trigger" text not null, "started_at" timestamptz not null, "duration_ms" int not null, "response_status" int null, "response_body" text null, "error" text null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_attempts_delivery_id_id_index" on "webhook_attempts" ("delivery_id", "id");`,
    );
    this.addSql(
      `alter table "webhook_attempts" add constraint "webhook_attempts_trigger_check" check ("trigger" in ('scheduled', 'manual'));`,
    );

    this.addSql(
      `alter table "idempotency_keys" add constraint "idempotency_keys_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "clients" add constraint "clients_partner_id_foreign" foreign key ("partner_id") references "partners" ("id");`,
    );

    this.addSql(
      `alter table "client_users" add constraint "client_users_client_id_foreign" foreign key ("client_id") references "clients" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "channels" add constraint "channels_client_id_foreign" foreign key ("client_id") references "clients" ("id");`,
    );

    this.addSql(
      `alter table "onboarding_sessions" add constraint "onboarding_sessions_partner_id_foreign" foreign key ("partner_id") references "partners" ("id");`,
    );
    this.addSql(
      `alter table "onboarding_sessions" add constraint "onboarding_sessions_client_id_foreign" foreign key ("client_id") references "clients" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "onboarding_sessions" add constraint "onboarding_sessions_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "channel_api_keys" add constraint "channel_api_keys_channel_id_foreign" foreign key ("channel_id") references "channels" ("id");`,
    );
    this.addSql(
      `alter table "channel_api_keys" add constraint "channel_api_keys_partner_id_foreign" foreign key ("partner_id") references "partners" ("id");`,
    );

    this.addSql(
      `alter table "audit_logs" add constraint "audit_logs_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "partner_tokens" add constraint "partner_tokens_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "permissions" add constraint "permissions_partner_id_foreign" foreign key ("partner_id") references "partners" ("id");`,
    );
    this.addSql(
      `alter table "permissions" add constraint "permissions_channel_id_foreign" foreign key ("channel_id") references "channels" ("id");`,
    );
    this.addSql(
      `alter table "permissions" add constraint "permissions_client_id_foreign" foreign key ("client_id") references "clients" ("id");`,
    );

    this.addSql(
      `alter table "webhook_events" add constraint "webhook_events_partner_id_foreign" foreign key ("partner_id") references "partners" ("id");`,
    );
    this.addSql(
      `alter table "webhook_events" add constraint "webhook_events_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_event_id_foreign" foreign key ("event_id") references "webhook_events" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_partner_id_foreign" foreign key ("partner_id") references "partners" ("id");`,
    );

    this.addSql(
      `alter table "webhook_attempts" add constraint "webhook_attempts_delivery_id_foreign" foreign key ("delivery_id") references "webhook_deliveries" ("id") on delete cascade;`,
    );
  }
}
