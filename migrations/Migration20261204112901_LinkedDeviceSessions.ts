import { Migration } from '@mikro-orm/migrations';

export class Migration20261204112901_LinkedDeviceSessions extends Migration {
  override name = 'Migration20261204112901_LinkedDeviceSessions';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "linked_device_commands" ("id" bigserial primary key, "session_id" varchar(32) not null, "kind" text not null, "payload" jsonb null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "done_at" timestamptz null, "result" jsonb null, "error_code" varchar(64) null, "error_message" text null);`,
    );
    this.addSql(
      `create index "linked_device_commands_open_index" on "linked_device_commands" ("session_id", "id") where done_at is null;`,
    );

    this.addSql(
      `create table "linked_device_sessions" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "client_id" varchar(32) not null, "channel_id" varchar(32) not null, "name" varchar(200) null, "status" text not null, "status_reason" varchar(64) null, "desired" text not null, "pairing_phone_number" varchar(32) null, "qr" text null, "pairing_code" varchar(16) null, "pairing_expires_at" timestamptz null, "phone_number" varchar(32) null, "push_name" varchar(200) null, "connected_at" timestamptz null, "last_activity_at" timestamptz null, "last_probe_at" timestamptz null, "last_probe_ok" boolean null, "last_message_at" timestamptz null, "owner_id" varchar(64) null, "lease_until" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "linked_device_sessions" add constraint "linked_device_sessions_channel_id_unique" unique ("channel_id");`,
    );
    this.addSql(
      `create index "linked_device_sessions_partner_id_id_index" on "linked_device_sessions" ("partner_id", "id");`,
    );
    this.addSql(
      `create index "linked_device_sessions_client_id_id_index" on "linked_device_sessions" ("client_id", "id");`,
    );
    this.addSql(
      `create index "linked_device_sessions_claim_index" on "linked_device_sessions" ("desired", "lease_until");`,
    );
    this.addSql(
      `create index "linked_device_sessions_owner_id_index" on "linked_device_sessions" ("owner_id");`,
    );

    this.addSql(`alter table "channels" drop constraint "channels_connection_type_check";`);
    this.addSql(
      `alter table "channels" add constraint "channels_connection_type_check" check ("connection_type" in ('cloud_api', 'coexistence', 'linked_device'));`,
    );

    this.addSql(
      `alter table "linked_device_commands" add constraint "linked_device_commands_kind_check" check ("kind" in ('send_text', 'logout', 'play'));`,
    );

    this.addSql(
      `alter table "linked_device_sessions" add constraint "linked_device_sessions_partner_id_foreign" foreign key ("partner_id") references "partners" ("id");`,
    );
    this.addSql(
      `alter table "linked_device_sessions" add constraint "linked_device_sessions_client_id_foreign" foreign key ("client_id") references "clients" ("id");`,
    );
    this.addSql(
      `alter table "linked_device_sessions" add constraint "linked_device_sessions_channel_id_foreign" foreign key ("channel_id") references "channels" ("id");`,
    );
    this.addSql(
      `alter table "linked_device_sessions" add constraint "linked_device_sessions_status_check" check ("status" in ('PENDING', 'QR', 'CONNECTING', 'CONNECTED', 'DISCONNECTED', 'LOGGED_OUT'));`,
    );
    this.addSql(
      `alter table "linked_device_sessions" add constraint "linked_device_sessions_desired_check" check ("desired" in ('active', 'idle', 'stopped'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "linked_device_commands" cascade;`);
    this.addSql(`drop table if exists "linked_device_sessions" cascade;`);

    this.addSql(`alter table "channels" drop constraint "channels_connection_type_check";`);
    this.addSql(
      `alter table "channels" add constraint "channels_connection_type_check" check ("connection_type" in ('cloud_api', 'coexistence'));`,
    );
  }
}
