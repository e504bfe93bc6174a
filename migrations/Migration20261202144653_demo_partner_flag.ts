import { Migration } from '@mikro-orm/migrations';

/**
 * The sandbox demo's partner is marked by a flag instead of being looked up by its name, which
 * any partner can take. The partner the demo created before (its audit row names the demo as
 * the actor) keeps the role; a partner merely named like it does not.
 */
export class Migration20261202144653_demo_partner_flag extends Migration {
  override name = 'Migration20261202144653_demo_partner_flag';

  override up(): void | Promise<void> {
    this.addSql(`alter table "partners" add "is_demo" boolean not null default false;`);
    this.addSql(`create unique index "partners_demo_unique" on "partners" ("is_demo") where is_demo;`);
    this.addSql(
      `update "partners" set "is_demo" = true where "id" = (select "target_id" from "audit_logs" where "action" = 'partner.created' and "actor_type" = 'system' and "actor_id" = 'demo' order by "id" limit 1);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "partners_demo_unique";`);
    this.addSql(`alter table "partners" drop column "is_demo";`);
  }
}
