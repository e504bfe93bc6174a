import { Migration } from '@mikro-orm/migrations';

export class Migration20261204131715_LinkedDeviceCommandStarted extends Migration {
  override name = 'Migration20261204131715_LinkedDeviceCommandStarted';

  override up(): void | Promise<void> {
    this.addSql(`alter table "linked_device_commands" add "started_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "linked_device_commands" drop column "started_at";`);
  }
}
