import { Migration } from '@mikro-orm/migrations';

export class Migration20261204085828_PartnerSuspension extends Migration {
  override name = 'Migration20261204085828_PartnerSuspension';

  override up(): void | Promise<void> {
    this.addSql(`alter table "partners" add "suspended_at" timestamptz null;`);

    this.addSql(`create index "audit_logs_actor_id_id_index" on "audit_logs" ("actor_id", "id");`);
    this.addSql(`create index "audit_logs_action_id_index" on "audit_logs" ("action", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "audit_logs_actor_id_id_index";`);
    this.addSql(`drop index "audit_logs_action_id_index";`);

    this.addSql(`alter table "partners" drop column "suspended_at";`);
  }
}
