import { Migration } from '@mikro-orm/migrations';

/**
 * `deliveries?endpoint_id=wep_…` walks the destination's deliveries newest first instead of
 * filtering the partner's (issue 14, 3b); deleting a destination (`set null`) finds its rows too.
 */
export class Migration20261203072407_delivery_destination_index extends Migration {
  override name = 'Migration20261203072407_delivery_destination_index';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "webhook_deliveries_destination_id_id_index" on "webhook_deliveries" ("destination_id", "id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "webhook_deliveries_destination_id_id_index";`);
  }
}
