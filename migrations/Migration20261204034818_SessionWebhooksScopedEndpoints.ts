import { Migration } from '@mikro-orm/migrations';

export class Migration20261204034818_SessionWebhooksScopedEndpoints extends Migration {
  override name = 'Migration20261204034818_SessionWebhooksScopedEndpoints';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "onboarding_sessions" add "webhook_url" text null, add "webhook_secret_sealed" text null, add "webhook_events" jsonb null, add "webhook_endpoint_id" varchar(64) null;`,
    );

    this.addSql(`alter table "webhook_destinations" add "waba_id" varchar(64) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "onboarding_sessions" drop column "webhook_url", drop column "webhook_secret_sealed", drop column "webhook_events", drop column "webhook_endpoint_id";`,
    );

    this.addSql(`alter table "webhook_destinations" drop column "waba_id";`);
  }
}
