import { Migration } from '@mikro-orm/migrations';

export class Migration20261203173449_coexistence_heartbeat extends Migration {
  override name = 'Migration20261203173449_coexistence_heartbeat';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "channels" add "business_app_seen_at" timestamptz null, add "heartbeat_notice" varchar(16) null;`,
    );
    this.addSql(
      `create index "channels_connection_type_business_app_seen_at_index" on "channels" ("connection_type", "business_app_seen_at");`,
    );
    // Channel webhooks list the inbound types they receive: existing ones get the new echo type.
    this.addSql(
      `update "webhook_destinations" set "event_types" = "event_types"::jsonb || '["message.echo"]'::jsonb
        where "kind" = 'channel_webhook' and "event_types" is not null and not ("event_types"::jsonb ? 'message.echo');`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `update "webhook_destinations" set "event_types" = "event_types"::jsonb - 'message.echo' where "kind" = 'channel_webhook' and "event_types" is not null;`,
    );
    this.addSql(`drop index "channels_connection_type_business_app_seen_at_index";`);
    this.addSql(`alter table "channels" drop column "business_app_seen_at", drop column "heartbeat_notice";`);
  }
}
