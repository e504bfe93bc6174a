import { Migration } from '@mikro-orm/migrations';

export class Migration20261204031640_DisplayNameRequests extends Migration {
  override name = 'Migration20261204031640_DisplayNameRequests';

  override up(): void | Promise<void> {
    this.addSql(`alter table "channels" add "requested_display_name" varchar(512) null;`);
    // The sandbox's display name change requests (POST /{phone_number_id}?new_display_name=).
    this.addSql(
      `create table "sandbox"."display_name_requests" ("id" bigint generated always as identity primary key, "phone_number_id" varchar(20) not null references "sandbox"."phone_numbers" ("id") on delete cascade, "new_display_name" text not null, "status" varchar(16) not null, "requested_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "display_name_requests_phone_id_index" on "sandbox"."display_name_requests" ("phone_number_id", "id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "sandbox"."display_name_requests";`);
    this.addSql(`alter table "channels" drop column "requested_display_name";`);
  }
}
