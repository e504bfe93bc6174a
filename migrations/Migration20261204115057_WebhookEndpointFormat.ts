import { Migration } from '@mikro-orm/migrations';

export class Migration20261204115057_WebhookEndpointFormat extends Migration {
  override name = 'Migration20261204115057_WebhookEndpointFormat';

  override up(): void | Promise<void> {
    this.addSql(`alter table "webhook_destinations" add "format" text not null default 'standard_webhooks';`);
    this.addSql(
      `alter table "webhook_destinations" add constraint "webhook_destinations_format_check" check ("format" in ('standard_webhooks', 'whathooks'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_destinations" drop constraint "webhook_destinations_format_check";`);
    this.addSql(`alter table "webhook_destinations" drop column "format";`);
  }
}
