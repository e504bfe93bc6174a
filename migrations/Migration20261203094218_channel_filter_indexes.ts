import { Migration } from '@mikro-orm/migrations';

/**
 * `channels?quality_rating=RED` / `?current_limit=TIER_UNLIMITED` (issue 16): the channels with a
 * rare value are walked newest first from the channel side and joined to the partner's current
 * grants, instead of walking every channel or every grant (lists bench).
 */
export class Migration20261203094218_channel_filter_indexes extends Migration {
  override name = 'Migration20261203094218_channel_filter_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "channels_quality_rating_id_index" on "channels" ("quality_rating", "id");`);
    this.addSql(`create index "channels_current_limit_id_index" on "channels" ("current_limit", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "channels_quality_rating_id_index";`);
    this.addSql(`drop index "channels_current_limit_id_index";`);
  }
}
