import { Migration } from '@mikro-orm/migrations';

export class Migration20261124061000_webhook_engine extends Migration {
  override name = 'Migration20261124061000_webhook_engine';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "webhook_endpoints" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "url" text not null, "description" varchar(200) null, "event_types" jsonb null, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "failing_since" timestamptz null, "disabled_at" timestamptz null, "disabled_reason" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_endpoints_partner_id_id_index" on "webhook_endpoints" ("partner_id", "id");`,
    );

    this.addSql(
      `alter table "partners" add "webhook_failing_since" timestamptz null, add "webhook_disabled_at" timestamptz null, add "webhook_disabled_reason" varchar(200) null;`,
    );

    this.addSql(
      `alter table "webhook_deliveries" add "endpoint_id" varchar(32) null, add "lease_token" varchar(36) null;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "webhook_endpoints" add constraint "webhook_endpoints_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_endpoint_id_foreign";`);

    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);

    this.addSql(
      `alter table "partners" drop column "webhook_failing_since", drop column "webhook_disabled_at", drop column "webhook_disabled_reason";`,
    );

    this.addSql(`alter table "webhook_deliveries" drop column "endpoint_id", drop column "lease_token";`);
  }
}
