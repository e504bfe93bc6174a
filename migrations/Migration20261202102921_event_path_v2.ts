import { Migration } from '@mikro-orm/migrations';

/**
 * Event path v2: one destination table, events that keep the exact body they are sent with,
 * raw Meta payloads as bytes with a hash for deduplication, and graphile-worker heartbeats
 * for the fence. Existing data moves over: partners' webhook settings and channel webhooks
 * become destinations (their sealed secrets keep their associated data, see
 * destination-secrets.ts), deliveries point at them, and events get their body.
 * Pending deliveries get their jobs when a worker starts (jobs/reconcile.ts): graphile-worker's
 * schema is migrated after ours.
 */
export class Migration20261202102921_event_path_v2 extends Migration {
  override name = 'Migration20261202102921_event_path_v2';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "webhook_destinations" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "kind" text not null, "channel_id" varchar(32) null, "permission_id" varchar(32) null, "url" text null, "description" varchar(200) null, "event_types" jsonb null, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "headers_sealed" text null, "failing_since" timestamptz null, "disabled_at" timestamptz null, "disabled_reason" varchar(200) null, "consecutive_failures" int not null, "circuit_open_until" timestamptz null, "runner_job_id" bigint null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "webhook_destinations" add constraint "webhook_destinations_permission_id_unique" unique ("permission_id");`,
    );
    this.addSql(
      `create index "webhook_destinations_partner_id_id_index" on "webhook_destinations" ("partner_id", "id");`,
    );
    this.addSql(
      `create unique index "webhook_destinations_primary_unique" on "webhook_destinations" ("partner_id") where kind = 'partner_webhook';`,
    );
    this.addSql(
      `alter table "webhook_destinations" add constraint "webhook_destinations_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_destinations" add constraint "webhook_destinations_channel_id_foreign" foreign key ("channel_id") references "channels" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_destinations" add constraint "webhook_destinations_permission_id_foreign" foreign key ("permission_id") references "permissions" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_destinations" add constraint "webhook_destinations_kind_check" check ("kind" in ('partner_webhook', 'channel_webhook', 'endpoint'));`,
    );

    // Extra endpoints keep their ids (partners know them).
    this.addSql(
      `insert into "webhook_destinations" ("id", "partner_id", "kind", "url", "description", "event_types", "secret_sealed",
         "previous_secret_sealed", "previous_secret_expires_at", "failing_since", "disabled_at", "disabled_reason",
         "consecutive_failures", "created_at", "updated_at")
       select "id", "partner_id", 'endpoint', "url", "description", "event_types", "secret_sealed", "previous_secret_sealed",
              "previous_secret_expires_at", "failing_since", "disabled_at", "disabled_reason", 0, "created_at", "updated_at"
         from "webhook_endpoints";`,
    );
    // Every partner gets its primary destination (url null without a webhook_url): it holds the partner's secret.
    this.addSql(
      `insert into "webhook_destinations" ("id", "partner_id", "kind", "url", "secret_sealed", "previous_secret_sealed",
         "previous_secret_expires_at", "failing_since", "disabled_at", "disabled_reason", "consecutive_failures",
         "created_at", "updated_at")
       select 'wep_' || substr("id", 5), "id", 'partner_webhook', "webhook_url", "webhook_secret_sealed",
              "previous_webhook_secret_sealed", "previous_webhook_secret_expires_at", "webhook_failing_since",
              "webhook_disabled_at", "webhook_disabled_reason", 0, "created_at", "updated_at"
         from "partners";`,
    );
    // Channel webhooks of current grants; they sign with the partner's secret, as before.
    this.addSql(
      `insert into "webhook_destinations" ("id", "partner_id", "kind", "channel_id", "permission_id", "url", "event_types",
         "secret_sealed", "previous_secret_sealed", "previous_secret_expires_at", "headers_sealed", "consecutive_failures",
         "created_at", "updated_at")
       select 'wep_' || substr(g."id", 5), g."partner_id", 'channel_webhook', g."channel_id", g."id", g."webhook_url",
              '["message.received","message.status","message.update"]'::jsonb, p."webhook_secret_sealed",
              p."previous_webhook_secret_sealed", p."previous_webhook_secret_expires_at", g."webhook_headers_sealed", 0,
              g."granted_at", g."granted_at"
         from "permissions" g join "partners" p on p."id" = g."partner_id"
        where g."revoked_at" is null and g."webhook_url" is not null;`,
    );

    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_endpoint_id_foreign";`);
    this.addSql(`drop index "webhook_deliveries_due_index";`);
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_destination_check";`);
    this.addSql(`alter table "webhook_deliveries" rename column "destination" to "kind";`);
    this.addSql(`alter table "webhook_deliveries" add "destination_id" varchar(32) null;`);
    this.addSql(
      `update "webhook_deliveries" d set "destination_id" = case d."kind"
         when 'endpoint' then d."endpoint_id"
         when 'partner_webhook' then 'wep_' || substr(d."partner_id", 5)
         else (select w."id" from "webhook_events" e
                 join "permissions" g on g."channel_id" = e."channel_id" and g."partner_id" = d."partner_id"
                  and g."revoked_at" is null
                 join "webhook_destinations" w on w."permission_id" = g."id"
                where e."id" = d."event_id")
       end;`,
    );
    // What has nowhere to go any more (a revoked grant, a removed URL) ends failed, as the old engine would have.
    this.addSql(
      `update "webhook_deliveries" set "status" = 'failed', "next_attempt_at" = null
        where "status" = 'pending' and "destination_id" is null;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" drop column "endpoint_id", drop column "lease_expires_at", drop column "lease_token";`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_destination_id_foreign" foreign key ("destination_id") references "webhook_destinations" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_kind_check" check ("kind" in ('partner_webhook', 'channel_webhook', 'endpoint'));`,
    );
    this.addSql(`create index "webhook_deliveries_created_at_index" on "webhook_deliveries" ("created_at");`);
    this.addSql(
      `create index "webhook_deliveries_due_index" on "webhook_deliveries" ("destination_id", "next_attempt_at", "id") where status = 'pending';`,
    );

    // The body each destination receives: {"type","timestamp","data"}, or Meta's envelope for message events.
    this.addSql(`alter table "webhook_events" add "body" text null;`);
    this.addSql(
      `update "webhook_events" set "body" = case when "type" like 'message.%' then
         '{"object":"whatsapp_business_account","entry":[{"id":' || to_json("data"->>'waba_id')::text ||
         ',"changes":[{"value":' || ("data"->'value')::text || ',"field":' || to_json("data"->>'field')::text || '}]}]}'
       else
         '{"type":' || to_json("type")::text || ',"timestamp":' ||
         to_json(to_char("created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text ||
         ',"data":' || "data"::text || '}'
       end;`,
    );
    this.addSql(`alter table "webhook_events" alter column "body" set not null, drop column "data";`);
    this.addSql(`create index "webhook_events_created_at_index" on "webhook_events" ("created_at");`);

    this.addSql(`alter table "meta_webhooks" add "body" bytea null, add "body_sha256" bytea null;`);
    this.addSql(`update "meta_webhooks" set "body" = convert_to("payload"::text, 'UTF8');`);
    // Meta's retries of one payload were stored twice before: the first keeps the hash.
    this.addSql(
      `update "meta_webhooks" m set "body_sha256" = f."hash"
         from (select distinct on (sha256("body")) "id", sha256("body") as "hash"
                 from "meta_webhooks" order by sha256("body"), "id") f
        where m."id" = f."id";`,
    );
    this.addSql(`alter table "meta_webhooks" alter column "body" set not null, drop column "payload";`);
    this.addSql(
      `alter table "meta_webhooks" add constraint "meta_webhooks_body_sha256_unique" unique ("body_sha256");`,
    );

    this.addSql(
      `alter table "partners" drop column "previous_webhook_secret_expires_at", drop column "previous_webhook_secret_sealed", drop column "webhook_disabled_at", drop column "webhook_disabled_reason", drop column "webhook_failing_since", drop column "webhook_secret_sealed", drop column "webhook_url";`,
    );
    this.addSql(`alter table "permissions" drop column "webhook_headers_sealed", drop column "webhook_url";`);
    this.addSql(`drop table "webhook_endpoints";`);

    this.addSql(
      `create table "worker_heartbeats" ("pool_id" varchar(64) not null, "process" varchar(200) not null, "started_at" timestamptz not null, "seen_at" timestamptz not null, primary key ("pool_id"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table "worker_heartbeats";`);

    this.addSql(
      `create table "webhook_endpoints" ("id" varchar(32) not null, "partner_id" varchar(32) not null, "url" text not null, "description" varchar(200) null, "event_types" jsonb null, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "failing_since" timestamptz null, "disabled_at" timestamptz null, "disabled_reason" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_endpoints_partner_id_id_index" on "webhook_endpoints" ("partner_id", "id");`,
    );
    this.addSql(
      `alter table "webhook_endpoints" add constraint "webhook_endpoints_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on delete cascade;`,
    );
    this.addSql(
      `insert into "webhook_endpoints" select "id", "partner_id", "url", "description", "event_types", "secret_sealed",
         "previous_secret_sealed", "previous_secret_expires_at", "failing_since", "disabled_at", "disabled_reason",
         "created_at", "updated_at"
         from "webhook_destinations" where "kind" = 'endpoint';`,
    );

    this.addSql(
      `alter table "partners" add "webhook_url" text null, add "webhook_secret_sealed" text null, add "previous_webhook_secret_sealed" text null, add "previous_webhook_secret_expires_at" timestamptz null, add "webhook_failing_since" timestamptz null, add "webhook_disabled_at" timestamptz null, add "webhook_disabled_reason" varchar(200) null;`,
    );
    this.addSql(
      `update "partners" p set "webhook_url" = w."url", "webhook_secret_sealed" = w."secret_sealed",
         "previous_webhook_secret_sealed" = w."previous_secret_sealed",
         "previous_webhook_secret_expires_at" = w."previous_secret_expires_at", "webhook_failing_since" = w."failing_since",
         "webhook_disabled_at" = w."disabled_at", "webhook_disabled_reason" = w."disabled_reason"
         from "webhook_destinations" w where w."partner_id" = p."id" and w."kind" = 'partner_webhook';`,
    );
    this.addSql(`alter table "partners" alter column "webhook_secret_sealed" set not null;`);
    this.addSql(
      `alter table "permissions" add "webhook_url" text null, add "webhook_headers_sealed" text null;`,
    );
    this.addSql(
      `update "permissions" g set "webhook_url" = w."url", "webhook_headers_sealed" = w."headers_sealed"
         from "webhook_destinations" w where w."permission_id" = g."id";`,
    );

    this.addSql(`drop index "webhook_deliveries_due_index";`);
    this.addSql(`drop index "webhook_deliveries_created_at_index";`);
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_kind_check";`);
    this.addSql(
      `alter table "webhook_deliveries" drop constraint "webhook_deliveries_destination_id_foreign";`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add "endpoint_id" varchar(32) null, add "lease_expires_at" timestamptz null, add "lease_token" varchar(36) null;`,
    );
    this.addSql(
      `update "webhook_deliveries" set "endpoint_id" = "destination_id" where "kind" = 'endpoint'
          and "destination_id" in (select "id" from "webhook_endpoints");`,
    );
    this.addSql(`alter table "webhook_deliveries" drop column "destination_id";`);
    this.addSql(`alter table "webhook_deliveries" rename column "kind" to "destination";`);
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_destination_check" check ("destination" in ('partner_webhook', 'channel_webhook', 'endpoint'));`,
    );
    this.addSql(
      `create index "webhook_deliveries_due_index" on "webhook_deliveries" ("next_attempt_at") where status = 'pending';`,
    );
    this.addSql(`drop table "webhook_destinations";`);

    // Bodies holding what jsonb refuses (\\u0000) come back with the character replaced.
    this.addSql(`drop index "webhook_events_created_at_index";`);
    this.addSql(`alter table "webhook_events" add "data" jsonb null;`);
    this.addSql(
      `update "webhook_events" set "data" = case when "type" like 'message.%' then
         (select jsonb_build_object('phone_number_id', c->'value'->'metadata'->>'phone_number_id',
                 'waba_id', b->'entry'->0->>'id', 'field', c->>'field', 'value', c->'value')
            from (select replace("body", '\\u0000', '\\ufffd')::jsonb b) s, lateral (select b->'entry'->0->'changes'->0 c) x)
       else (replace("body", '\\u0000', '\\ufffd')::jsonb)->'data' end;`,
    );
    this.addSql(`alter table "webhook_events" alter column "data" set not null, drop column "body";`);

    this.addSql(`alter table "meta_webhooks" drop constraint "meta_webhooks_body_sha256_unique";`);
    this.addSql(`alter table "meta_webhooks" add "payload" jsonb null;`);
    this.addSql(
      `update "meta_webhooks" set "payload" = replace(convert_from("body", 'UTF8'), '\\u0000', '\\ufffd')::jsonb;`,
    );
    this.addSql(
      `alter table "meta_webhooks" alter column "payload" set not null, drop column "body", drop column "body_sha256";`,
    );
  }
}
