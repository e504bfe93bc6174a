import { Migration } from '@mikro-orm/migrations';

export class Migration20261203102425_usage_ledger extends Migration {
  override name = 'Migration20261203102425_usage_ledger';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "usage_days" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "channel_id" varchar(32) not null, "day" date not null, "direction" text not null, "category" varchar(64) not null, "pricing_model" varchar(16) not null, "billable" boolean not null, "messages" int not null, primary key ("id"));`,
    );
    this.addSql(`create index "usage_days_partner_id_day_index" on "usage_days" ("partner_id", "day");`);
    this.addSql(
      `alter table "usage_days" add constraint "usage_days_partner_id_channel_id_day_direction_ca_add13_unique" unique ("partner_id", "channel_id", "day", "direction", "category", "pricing_model", "billable");`,
    );

    this.addSql(
      `create table "usage_messages" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "wamid" varchar(256) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "usage_messages_created_at_index" on "usage_messages" ("created_at");`);
    this.addSql(
      `alter table "usage_messages" add constraint "usage_messages_partner_id_wamid_unique" unique ("partner_id", "wamid");`,
    );

    this.addSql(
      `alter table "usage_days" add constraint "usage_days_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "usage_days" add constraint "usage_days_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "usage_days" add constraint "usage_days_direction_check" check ("direction" in ('inbound', 'outbound'));`,
    );

    this.addSql(
      `alter table "usage_messages" add constraint "usage_messages_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "usage_days" cascade;`);
    this.addSql(`drop table if exists "usage_messages" cascade;`);
  }
}
