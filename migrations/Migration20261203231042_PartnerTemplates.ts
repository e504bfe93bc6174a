import { Migration } from '@mikro-orm/migrations';

export class Migration20261203231042_PartnerTemplates extends Migration {
  override name = 'Migration20261203231042_PartnerTemplates';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "templates" ("id" varchar(32) not null, "waba_id" varchar(64) not null, "template_id" varchar(64) not null, "name" varchar(512) not null, "language" varchar(16) not null, "status" varchar(32) not null, "category" varchar(32) not null, "components" jsonb not null, "quality_score" varchar(32) null, "rejected_reason" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "templates_waba_id_id_index" on "templates" ("waba_id", "id");`);
    this.addSql(
      `create index "templates_waba_id_name_language_index" on "templates" ("waba_id", "name", "language");`,
    );
    this.addSql(
      `alter table "templates" add constraint "templates_waba_id_template_id_unique" unique ("waba_id", "template_id");`,
    );

    this.addSql(
      `create table "template_syncs" ("waba_id" varchar(64) not null, "synced_at" timestamptz null, "last_attempt_at" timestamptz null, "last_error" varchar(500) null, "next_attempt_at" timestamptz null, primary key ("waba_id"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "templates" cascade;`);
    this.addSql(`drop table if exists "template_syncs" cascade;`);
  }
}
