import { Migration } from '@mikro-orm/migrations';

export class Migration20261202155842_signed_links extends Migration {
  override name = 'Migration20261202155842_signed_links';

  override up(): void | Promise<void> {
    this.addSql(`alter table "partners" add "require_signed_links" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "partners" drop column "require_signed_links";`);
  }
}
