import { Migration } from '@mikro-orm/migrations';

export class Migration20261204030512_ChannelWebhookOverride extends Migration {
  override name = 'Migration20261204030512_ChannelWebhookOverride';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "channels" add "webhook_override_url" text null, add "webhook_override_by" varchar(64) null;`,
    );
    // Channels onboarded with an override before it was recorded: from their session, then to
    // the other numbers of the same WABA (Meta's override is per WABA).
    this.addSql(`update "channels" c set "webhook_override_url" = s."webhook_override_url", "webhook_override_by" = s."partner_id"
      from "onboarding_sessions" s
      where s."channel_id" = c."id" and s."status" = 'completed' and s."webhook_override_url" is not null;`);
    this.addSql(`update "channels" c set "webhook_override_url" = o."webhook_override_url", "webhook_override_by" = o."webhook_override_by"
      from "channels" o
      where o."waba_id" = c."waba_id" and o."webhook_override_url" is not null and c."webhook_override_url" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "channels" drop column "webhook_override_url", drop column "webhook_override_by";`,
    );
  }
}
