import { Migration } from '@mikro-orm/migrations';

export class Migration20261204035610_ChannelMessages extends Migration {
  override name = 'Migration20261204035610_ChannelMessages';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "channel_messages" ("id" varchar(32) not null, "channel_id" varchar(32) not null, "direction" text not null, "wamid" varchar(256) not null, "contact" varchar(128) null, "type" varchar(32) null, "source" varchar(16) not null, "status" varchar(16) not null, "status_at" timestamptz not null, "error_code" int null, "error_title" varchar(200) null, "payload" jsonb null, "sent_at" timestamptz not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "channel_messages_channel_id_id_index" on "channel_messages" ("channel_id", "id");`,
    );
    this.addSql(`create index "channel_messages_created_at_index" on "channel_messages" ("created_at");`);
    this.addSql(
      `alter table "channel_messages" add constraint "channel_messages_channel_id_wamid_unique" unique ("channel_id", "wamid");`,
    );

    this.addSql(
      `alter table "channel_messages" add constraint "channel_messages_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "channel_messages" add constraint "channel_messages_direction_check" check ("direction" in ('inbound', 'outbound'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "channel_messages" cascade;`);
  }
}
