import { Migration } from '@mikro-orm/migrations';

export class Migration20261204095340_LinkedDeviceAuth extends Migration {
  override name = 'Migration20261204095340_LinkedDeviceAuth';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "linked_device_auth" ("session_id" text not null, "category" text not null, "key_id" text not null, "value_sealed" text not null, "updated_at" timestamptz not null, primary key ("session_id", "category", "key_id"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "linked_device_auth" cascade;`);
  }
}
