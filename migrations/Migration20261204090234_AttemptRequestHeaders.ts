import { Migration } from '@mikro-orm/migrations';

export class Migration20261204090234_AttemptRequestHeaders extends Migration {
  override name = 'Migration20261204090234_AttemptRequestHeaders';

  override up(): void | Promise<void> {
    this.addSql(`alter table "webhook_attempts" add "request_headers" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_attempts" drop column "request_headers";`);
  }
}
