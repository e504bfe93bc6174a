import type { EntityManager } from '@mikro-orm/postgresql';
import { query, run } from '../../db/sql.ts';
import type { LinkedDeviceDesired } from '../linked-device-session.entity.ts';

/*
 * One socket per number across the cluster: a session is run only by the worker named in
 * `owner_id`, while `lease_until` (the database's clock, so workers' clocks do not matter) is in
 * the future. The owner renews well before expiry; a worker that dies stops renewing, and after
 * the lease runs out another worker claims the session and connects with the stored credentials.
 * Every state write of a connection is fenced on `owner_id` (runner/device-state.ts), so a worker
 * that lost its lease (paused, cut off) cannot overwrite what the new owner writes.
 */

const interval = (ms: number) => `(${Math.round(ms)} * interval '1 millisecond')`;

/** Claims up to `limit` sessions that should run and have no live lease. */
export async function claimSessions(
  em: EntityManager,
  ownerId: string,
  leaseMs: number,
  limit: number,
): Promise<string[]> {
  if (limit <= 0) return [];
  const rows = await query<{ id: string }>(
    em,
    `update linked_device_sessions set owner_id = ?, lease_until = now() + ${interval(leaseMs)}
      where id in (select id from linked_device_sessions
                    where desired = 'active' and (lease_until is null or lease_until < now())
                    order by lease_until nulls first, id limit ? for update skip locked)
      returning id`,
    [ownerId, limit],
  );
  return rows.map((r) => r.id);
}

export interface HeldSession {
  id: string;
  desired: LinkedDeviceDesired;
}

/**
 * Renews the leases this worker still holds and writes their last activity; what is not returned
 * was lost (taken over, or the session was erased).
 */
export async function renewLeases(
  em: EntityManager,
  ownerId: string,
  leaseMs: number,
  held: { id: string; lastActivityAt: Date | null }[],
): Promise<HeldSession[]> {
  if (held.length === 0) return [];
  return query<HeldSession>(
    em,
    `update linked_device_sessions s
        set lease_until = now() + ${interval(leaseMs)},
            last_activity_at = greatest(s.last_activity_at, x.at)
       from json_to_recordset(?::json) as x(id text, at timestamptz)
      where s.id = x.id and s.owner_id = ?
      returning s.id, s.desired`,
    [JSON.stringify(held.map((h) => ({ id: h.id, at: h.lastActivityAt }))), ownerId],
  );
}

/** Lets the session go (stopping, idle, or handing it over at shutdown): another worker may claim it at once. */
export function releaseLease(em: EntityManager, ownerId: string, sessionId: string): Promise<number> {
  return run(
    em,
    'update linked_device_sessions set owner_id = null, lease_until = null where id = ? and owner_id = ?',
    [sessionId, ownerId],
  );
}
