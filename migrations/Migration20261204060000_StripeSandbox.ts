import { Migration } from '@mikro-orm/migrations';

/**
 * The Stripe sandbox's state (hand-written, like the Meta sandbox's): Stripe's objects as the
 * JSON it answers with, the idempotency keys it replays, and the webhook events it sends.
 */
export class Migration20261204060000_StripeSandbox extends Migration {
  override name = 'Migration20261204060000_StripeSandbox';

  override up(): void {
    this.addSql(`create schema if not exists "sandbox";`);
    this.addSql(
      `create table "sandbox"."stripe_objects" ("id" text primary key, "type" text not null, "customer" text null, "data" jsonb not null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "stripe_objects_customer_index" on "sandbox"."stripe_objects" ("customer", "type");`,
    );
    this.addSql(
      `create table "sandbox"."stripe_idempotency_keys" ("api_key_hash" char(64) not null, "key" text not null, "fingerprint" char(64) not null, "status" int null, "body" jsonb null, "created_at" timestamptz not null, primary key ("api_key_hash", "key"));`,
    );
    this.addSql(
      `create table "sandbox"."stripe_events" ("id" text primary key, "type" text not null, "payload" jsonb not null, "endpoint_url" text not null, "attempts" int not null default 0, "last_status" int null, "last_error" text null, "delivered_at" timestamptz null, "created_at" timestamptz not null);`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "sandbox"."stripe_events";`);
    this.addSql(`drop table if exists "sandbox"."stripe_idempotency_keys";`);
    this.addSql(`drop table if exists "sandbox"."stripe_objects";`);
  }
}
