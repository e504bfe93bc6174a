import { Migration } from '@mikro-orm/migrations';

/**
 * Partner list filters at scale (issue 14, 3b): `clients?created_before=`/`created_after=` read
 * the matching ids from a `(partner_id, created_at, id)` index, and a delivery carries its event's
 * type (copied on insert) so `deliveries?event_type=` is one `(partner_id, event_type, id)` scan
 * instead of a walk over the partner's deliveries looking up each event.
 */
export class Migration20261203071048_list_indexes extends Migration {
  override name = 'Migration20261203071048_list_indexes';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "clients_partner_id_created_at_id_index" on "clients" ("partner_id", "created_at", "id");`,
    );

    this.addSql(`alter table "webhook_deliveries" add "event_type" varchar(100) null;`);
    this.addSql(
      `update "webhook_deliveries" d set "event_type" = e."type" from "webhook_events" e where e."id" = d."event_id";`,
    );
    this.addSql(`alter table "webhook_deliveries" alter column "event_type" set not null;`);
    this.addSql(
      `create index "webhook_deliveries_partner_id_event_type_id_index" on "webhook_deliveries" ("partner_id", "event_type", "id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "clients_partner_id_created_at_id_index";`);

    this.addSql(`drop index "webhook_deliveries_partner_id_event_type_id_index";`);
    this.addSql(`alter table "webhook_deliveries" drop column "event_type";`);
  }
}
