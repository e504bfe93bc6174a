import { Migration } from '@mikro-orm/migrations';

/**
 * Grants carry their channel's list filters, kept by triggers (server/modules/permissions/
 * channel-filter-copies.ts), so a filtered channel list walks the partner's own grants. Expand
 * only: the channels' `(quality_rating, id)` and `(current_limit, id)` indexes, which the previous
 * release's list query uses, go one release later.
 */
export class Migration20261204222442_permission_channel_filters extends Migration {
  override name = 'Migration20261204222442_permission_channel_filters';

  override up(): void | Promise<void> {
    // No channel may change between the copy below and its trigger (this transaction holds the
    // lock until it commits; the permissions table is locked by the alter table).
    this.addSql(`lock table channels in share row exclusive mode;`);
    this.addSql(
      `alter table "permissions" add "channel_status" text null, add "channel_quality_rating" varchar(32) null, add "channel_current_limit" varchar(32) null;`,
    );
    this.addSql(
      `alter table "permissions" add constraint "permissions_channel_status_check" check ("channel_status" in ('pending', 'connected', 'live', 'restricted', 'failed', 'disconnected', 'deleted'));`,
    );
    this.addSql(`update permissions p
   set channel_status = c.status, channel_quality_rating = c.quality_rating, channel_current_limit = c.current_limit
  from channels c where c.id = p.channel_id;`);
    this.addSql(`create or replace function "channels_share_filters_fn"() returns trigger as $$ begin update permissions
     set channel_status = new.status, channel_quality_rating = new.quality_rating, channel_current_limit = new.current_limit
   where channel_id = new.id;   return null; end; $$ language plpgsql;`);
    this.addSql(`create trigger "share_filters" AFTER UPDATE on "channels" for each ROW
  when (((new.status IS DISTINCT FROM old.status) OR ((new.quality_rating)::text IS DISTINCT FROM (old.quality_rating)::text) OR ((new.current_limit)::text IS DISTINCT FROM (old.current_limit)::text))) execute function "channels_share_filters_fn"();`);
    this.addSql(`create or replace function "permissions_copy_channel_filters_fn"() returns trigger as $$ begin select c.status, c.quality_rating, c.current_limit
    into new.channel_status, new.channel_quality_rating, new.channel_current_limit
    from channels c where c.id = new.channel_id for no key update;   return new; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "copy_channel_filters" BEFORE INSERT on "permissions" for each ROW execute function "permissions_copy_channel_filters_fn"();`,
    );
    this.addSql(`create or replace function "permissions_recopy_channel_filters_fn"() returns trigger as $$ begin select c.status, c.quality_rating, c.current_limit
    into new.channel_status, new.channel_quality_rating, new.channel_current_limit
    from channels c where c.id = new.channel_id for no key update;   return new; end; $$ language plpgsql;`);
    this.addSql(`create trigger "recopy_channel_filters" BEFORE UPDATE on "permissions" for each ROW
  when ((((new.channel_id)::text <> (old.channel_id)::text) OR (new.channel_status IS DISTINCT FROM old.channel_status) OR ((new.channel_quality_rating)::text IS DISTINCT FROM (old.channel_quality_rating)::text) OR ((new.channel_current_limit)::text IS DISTINCT FROM (old.channel_current_limit)::text))) execute function "permissions_recopy_channel_filters_fn"();`);
    this.addSql(
      `create index "permissions_current_status_index" on "permissions" ("partner_id", "channel_status", "channel_id") where revoked_at is null;`,
    );
    this.addSql(
      `create index "permissions_current_quality_rating_index" on "permissions" ("partner_id", "channel_quality_rating", "channel_id") where revoked_at is null;`,
    );
    this.addSql(
      `create index "permissions_current_current_limit_index" on "permissions" ("partner_id", "channel_current_limit", "channel_id") where revoked_at is null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "share_filters" on "channels";`);
    this.addSql(`drop function if exists "channels_share_filters_fn"();`);

    this.addSql(`drop index "permissions_current_status_index";`);
    this.addSql(`drop index "permissions_current_quality_rating_index";`);
    this.addSql(`drop index "permissions_current_current_limit_index";`);
    this.addSql(`alter table "permissions" drop constraint "permissions_channel_status_check";`);
    this.addSql(`drop trigger if exists "copy_channel_filters" on "permissions";`);
    this.addSql(`drop function if exists "permissions_copy_channel_filters_fn"();`);
    this.addSql(`drop trigger if exists "recopy_channel_filters" on "permissions";`);
    this.addSql(`drop function if exists "permissions_recopy_channel_filters_fn"();`);
    this.addSql(
      `alter table "permissions" drop column "channel_status", drop column "channel_quality_rating", drop column "channel_current_limit";`,
    );
  }
}
