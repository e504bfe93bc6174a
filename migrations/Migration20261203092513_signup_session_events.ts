import { Migration } from '@mikro-orm/migrations';

export class Migration20261203092513_signup_session_events extends Migration {
  override name = 'Migration20261203092513_signup_session_events';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "client_wabas" ("id" varchar(32) not null, "client_id" varchar(32) not null, "waba_id" varchar(32) not null, "business_id" varchar(32) null, "status" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "client_wabas" add constraint "client_wabas_waba_id_unique" unique ("waba_id");`,
    );
    this.addSql(`create index "client_wabas_client_id_id_index" on "client_wabas" ("client_id", "id");`);

    this.addSql(
      `create table "signup_session_events" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "onboarding_session_id" varchar(32) null, "client_id" varchar(32) null, "event" text not null, "current_step" varchar(64) null, "waba_id" varchar(32) null, "phone_number_id" varchar(32) null, "business_id" varchar(32) null, "error_message" varchar(500) null, "error_id" varchar(64) null, "meta_session_id" varchar(128) null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "signup_session_events_onboarding_session_id_id_index" on "signup_session_events" ("onboarding_session_id", "id");`,
    );
    this.addSql(
      `create index "signup_session_events_client_id_id_index" on "signup_session_events" ("client_id", "id");`,
    );

    this.addSql(
      `alter table "onboarding_sessions" add "abandoned_at" timestamptz null, add "last_signup_event" jsonb null;`,
    );

    this.addSql(
      `alter table "client_wabas" add constraint "client_wabas_client_id_foreign" foreign key ("client_id") references "clients" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "client_wabas" add constraint "client_wabas_status_check" check ("status" in ('pending', 'connected'));`,
    );

    this.addSql(
      `alter table "signup_session_events" add constraint "signup_session_events_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "signup_session_events" add constraint "signup_session_events_onboarding_session_id_foreign" foreign key ("onboarding_session_id") references "onboarding_sessions" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "signup_session_events" add constraint "signup_session_events_client_id_foreign" foreign key ("client_id") references "clients" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "signup_session_events" add constraint "signup_session_events_event_check" check ("event" in ('FINISH', 'FINISH_ONLY_WABA', 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING', 'CANCEL', 'ERROR'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "client_wabas" cascade;`);
    this.addSql(`drop table if exists "signup_session_events" cascade;`);

    this.addSql(
      `alter table "onboarding_sessions" drop column "abandoned_at", drop column "last_signup_event";`,
    );
  }
}
