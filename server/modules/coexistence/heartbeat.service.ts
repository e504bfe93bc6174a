import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.ts';
import { query, run } from '../../db/sql.ts';
import { type EventToRecord, recordEvents } from '../webhooks/record-events.ts';

const DAY_MS = 86_400_000;

/**
 * A coexistence number's link to Cloud API can drop when the WhatsApp Business app has not been
 * opened for about 13 days. The hub reminds the partner twice before that: `due` after 10 quiet
 * days, `overdue` with one day left (as Dualhook's heartbeat events do).
 */
export const HEARTBEAT = { linkExpiryDays: 13, dueAfterDays: 10, overdueAfterDays: 12 } as const;

/** Statuses in which the link matters: the number is connected and may be sending. */
const WATCHED = ['connected', 'live', 'restricted'];

/**
 * Records activity of the phone app (an echo, a contact or history sync) on these channels, in
 * the caller's transaction; a reminder already sent is cleared, so the next silence is told again.
 */
export async function businessAppSeen(tx: EntityManager, at: Date, channelIds: string[]): Promise<void> {
  if (channelIds.length === 0) return;
  await run(
    tx,
    `update channels set business_app_seen_at = greatest(business_app_seen_at, ?::timestamptz), heartbeat_notice = null
      where id in (?) and connection_type = 'coexistence'`,
    [at, channelIds],
  );
}

interface Quiet {
  id: string;
  client_id: string;
  phone_number: string;
  last_activity_at: Date;
}

/**
 * Sends the reminders that are due, each once per silence: `channel.heartbeat_overdue` first
 * (a channel quiet for 12 days that never got `due` gets only `overdue`), then
 * `channel.heartbeat_due`, to every partner holding the channel. Rows are locked and skipped by
 * a concurrent run, so two workers never send one reminder twice. Returns the reminders recorded.
 */
export async function sendHeartbeats(em: EntityManager, clock: Clock, limit = 500): Promise<number> {
  const now = clock.now();
  let sent = 0;
  for (const notice of ['overdue', 'due'] as const) {
    const days = notice === 'overdue' ? HEARTBEAT.overdueAfterDays : HEARTBEAT.dueAfterDays;
    sent += await em.transactional(async (tx) => {
      const quiet = await query<Quiet>(
        tx,
        `select id, client_id, phone_number, coalesce(business_app_seen_at, created_at) as last_activity_at
           from channels
          where connection_type = 'coexistence' and status in (?)
            and coalesce(business_app_seen_at, created_at) <= ?
            and heartbeat_notice is distinct from ? and (? = 'overdue' or heartbeat_notice is null)
          order by id limit ? for update skip locked`,
        [WATCHED, new Date(now.getTime() - days * DAY_MS), notice, notice, limit],
      );
      if (quiet.length === 0) return 0;
      const ids = quiet.map((c) => c.id);
      await run(tx, 'update channels set heartbeat_notice = ? where id in (?)', [notice, ids]);
      const grants = await query<{ channel_id: string; partner_id: string }>(
        tx,
        'select channel_id, partner_id from permissions where channel_id in (?) and revoked_at is null',
        [ids],
      );
      const byId = new Map(quiet.map((c) => [c.id, c]));
      const events: EventToRecord[] = grants.map((g) => {
        const c = byId.get(g.channel_id)!;
        const last = new Date(c.last_activity_at);
        return {
          partnerId: g.partner_id,
          channelId: c.id,
          type: notice === 'overdue' ? 'channel.heartbeat_overdue' : 'channel.heartbeat_due',
          data: {
            channel_id: c.id,
            client_id: c.client_id,
            phone_number: c.phone_number,
            last_activity_at: last.toISOString(),
            link_expires_at: new Date(last.getTime() + HEARTBEAT.linkExpiryDays * DAY_MS).toISOString(),
          },
        };
      });
      await recordEvents(tx, clock, events);
      return events.length;
    });
  }
  return sent;
}
