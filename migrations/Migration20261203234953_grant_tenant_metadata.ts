import { Migration } from '@mikro-orm/migrations';

export class Migration20261203234953_grant_tenant_metadata extends Migration {
  override name = 'Migration20261203234953_grant_tenant_metadata';

  override up(): void | Promise<void> {
    this.addSql(`alter table "permissions" add "tenant_id" varchar(200) null, add "metadata" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "permissions" drop column "tenant_id", drop column "metadata";`);
  }
}
