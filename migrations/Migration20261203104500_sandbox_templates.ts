import { Migration } from '@mikro-orm/migrations';

/** The sandbox's message templates (its own schema, written by hand: see the sandbox migration). */
export class Migration20261203104500_sandbox_templates extends Migration {
  override name = 'Migration20261203104500_sandbox_templates';

  override up(): void {
    this.addSql(
      `create table "sandbox"."message_templates" ("id" varchar(20) primary key, "waba_id" varchar(20) not null references "sandbox"."wabas" ("id") on delete cascade, "name" varchar(512) not null, "language" varchar(16) not null, "category" varchar(32) not null, "status" varchar(32) not null, "rejected_reason" varchar(64) null, "components" jsonb not null, "created_at" timestamptz not null, unique ("waba_id", "name", "language"));`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "sandbox"."message_templates";`);
  }
}
