import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../../server/db/sql.ts';
import { newId } from '../../server/ids.ts';

/** A day of messages as the usage ledger holds it (what billing prices), written directly. */
export interface UsageRow {
  partnerId: string;
  channelId: string;
  day: string;
  category: string;
  country: string;
  messages: number;
  billable?: boolean;
  direction?: 'inbound' | 'outbound';
}

export async function insertUsage(em: EntityManager, row: UsageRow): Promise<void> {
  await query(
    em,
    `insert into usage_days (id, partner_id, channel_id, day, direction, category, pricing_model, billable, country, messages)
     values (?, ?, ?, ?::date, ?, ?, 'PMP', ?, ?, ?)`,
    [
      newId('usageDay'),
      row.partnerId,
      row.channelId,
      row.day,
      row.direction ?? 'outbound',
      row.category,
      row.billable ?? true,
      row.country,
      row.messages,
    ],
  );
}
