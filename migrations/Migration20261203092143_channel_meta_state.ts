import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 16: the channel keeps what Meta reports on the app's callback (messaging limit tier,
 * portfolio number limit, display-name decision) and the status to restore when Meta gives
 * back a WABA it took away; channel webhooks also hear `waba.change` (Meta's envelope of those
 * fields), existing ones included.
 */
export class Migration20261203092143_channel_meta_state extends Migration {
  override name = 'Migration20261203092143_channel_meta_state';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "channels" add "current_limit" varchar(32) null, add "max_phone_numbers" int null, add "name_status" varchar(32) null, add "previous_status" text null;`,
    );
    this.addSql(
      `alter table "channels" add constraint "channels_previous_status_check" check ("previous_status" in ('pending', 'connected', 'live', 'restricted', 'failed', 'disconnected', 'deleted'));`,
    );
    this.addSql(
      `update "webhook_destinations" set "event_types" = "event_types" || '["waba.change"]'::jsonb
        where "kind" = 'channel_webhook' and "event_types" is not null and not ("event_types" ? 'waba.change');`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `update "webhook_destinations" set "event_types" = "event_types" - 'waba.change' where "kind" = 'channel_webhook' and "event_types" is not null;`,
    );
    this.addSql(`alter table "channels" drop constraint "channels_previous_status_check";`);
    this.addSql(
      `alter table "channels" drop column "current_limit", drop column "max_phone_numbers", drop column "name_status", drop column "previous_status";`,
    );
  }
}
