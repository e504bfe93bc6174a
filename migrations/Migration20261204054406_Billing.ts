import { Migration } from '@mikro-orm/migrations';

export class Migration20261204054406_Billing extends Migration {
  override name = 'Migration20261204054406_Billing';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "billing_terms" ("id" varchar(32) not null, "version" int not null, "url" text not null, "effective_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "billing_terms" add constraint "billing_terms_version_unique" unique ("version");`,
    );

    this.addSql(
      `create table "price_lists" ("id" varchar(32) not null, "version" int not null, "currency" varchar(3) not null, "effective_at" timestamptz not null, "rates" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "price_lists" add constraint "price_lists_version_unique" unique ("version");`);
    this.addSql(`create index "price_lists_effective_at_index" on "price_lists" ("effective_at");`);

    this.addSql(
      `create table "statements" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "client_id" varchar(32) null, "period" varchar(7) not null, "payment_model" text not null, "currency" varchar(3) not null, "lines" jsonb not null, "total_minor" int not null, "status" text not null, "invoice_id" varchar(255) null, "failure_code" varchar(64) null, "failure_message" text null, "issued_at" timestamptz not null, "paid_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "statements_partner_id_id_index" on "statements" ("partner_id", "id");`);
    this.addSql(`create index "statements_client_id_id_index" on "statements" ("client_id", "id");`);
    this.addSql(`create index "statements_invoice_id_index" on "statements" ("invoice_id");`);
    // One statement per client and month, and one per partner and month for its own (NULLs never collide).
    this.addSql(
      `create unique index "statements_client_period_unique" on "statements" ("partner_id", "client_id", "period") where client_id is not null;`,
    );
    this.addSql(
      `create unique index "statements_partner_period_unique" on "statements" ("partner_id", "period") where client_id is null;`,
    );

    this.addSql(
      `alter table "partners" add "payment_model" text not null default 'partner', add "billing_customer_id" varchar(255) null;`,
    );
    this.addSql(
      `alter table "partners" add constraint "partners_payment_model_check" check ("payment_model" in ('partner', 'direct'));`,
    );

    this.addSql(
      `alter table "clients" add "payment_model" text not null default 'partner', add "terms_version" int null, add "price_list_version" int null, add "terms_accepted_at" timestamptz null, add "billing_customer_id" varchar(255) null, add "setup_intent_id" varchar(255) null, add "payment_method_id" varchar(255) null, add "payment_method_label" varchar(100) null, add "billing_status" text not null default 'ok', add "past_due_since" timestamptz null;`,
    );
    this.addSql(
      `alter table "clients" add constraint "clients_payment_model_check" check ("payment_model" in ('partner', 'direct'));`,
    );
    this.addSql(
      `alter table "clients" add constraint "clients_billing_status_check" check ("billing_status" in ('ok', 'past_due', 'suspended'));`,
    );
    this.addSql(
      `create index "clients_billing_customer_id_index" on "clients" ("billing_customer_id") where "billing_customer_id" is not null;`,
    );

    this.addSql(
      `alter table "usage_days" drop constraint "usage_days_partner_id_channel_id_day_direction_ca_add13_unique";`,
    );
    this.addSql(`alter table "usage_days" add "country" varchar(2) not null default '';`);
    this.addSql(
      `alter table "usage_days" add constraint "usage_days_partner_id_channel_id_day_direction_ca_0a5c0_unique" unique ("partner_id", "channel_id", "day", "direction", "category", "pricing_model", "billable", "country");`,
    );

    this.addSql(
      `alter table "statements" add constraint "statements_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "statements" add constraint "statements_client_id_foreign" foreign key ("client_id") references "clients" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "statements" add constraint "statements_payment_model_check" check ("payment_model" in ('partner', 'direct'));`,
    );
    this.addSql(
      `alter table "statements" add constraint "statements_status_check" check ("status" in ('issued', 'paid', 'payment_failed', 'awaiting_payment'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "billing_terms" cascade;`);
    this.addSql(`drop table if exists "price_lists" cascade;`);
    this.addSql(`drop table if exists "statements" cascade;`);

    this.addSql(`alter table "clients" drop constraint "clients_payment_model_check";`);
    this.addSql(`alter table "clients" drop constraint "clients_billing_status_check";`);
    this.addSql(
      `alter table "clients" drop column "payment_model", drop column "terms_version", drop column "price_list_version", drop column "terms_accepted_at", drop column "billing_customer_id", drop column "setup_intent_id", drop column "payment_method_id", drop column "payment_method_label", drop column "billing_status", drop column "past_due_since";`,
    );

    this.addSql(`alter table "partners" drop constraint "partners_payment_model_check";`);
    this.addSql(`alter table "partners" drop column "payment_model", drop column "billing_customer_id";`);

    this.addSql(
      `alter table "usage_days" drop constraint "usage_days_partner_id_channel_id_day_direction_ca_0a5c0_unique";`,
    );
    this.addSql(`alter table "usage_days" drop column "country";`);
    this.addSql(
      `alter table "usage_days" add constraint "usage_days_partner_id_channel_id_day_direction_ca_add13_unique" unique ("partner_id", "channel_id", "day", "direction", "category", "pricing_model", "billable");`,
    );
  }
}
