import { Migration } from '@mikro-orm/migrations';

export class Migration20261204085549_ClientSearch extends Migration {
  override name = 'Migration20261204085549_ClientSearch';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "clients_name_search_index" on "clients" ("partner_id", lower("name") text_pattern_ops);`,
    );
    this.addSql(
      `create index "clients_external_id_search_index" on "clients" ("partner_id", lower("external_id") text_pattern_ops);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "clients_name_search_index";`);
    this.addSql(`drop index "clients_external_id_search_index";`);
  }
}
