import type { Query } from './db.ts';

/** Meta allows 10 register/deregister calls per number in a moving 72-hour window. */
export const REGISTER_LIMIT = 10;
export const REGISTER_WINDOW_MS = 72 * 3600 * 1000;

/**
 * Logs one register or deregister call and returns how many the number made in the window,
 * this one included. Every call counts, failed ones too, as at Meta; rows that left the
 * window are pruned on the way.
 */
export async function recordRegisterCall(q: Query, phoneNumberId: string, now: Date): Promise<number> {
  const windowStart = new Date(now.getTime() - REGISTER_WINDOW_MS);
  const rows = await q<{ calls: number }>(
    `with pruned as (
       delete from sandbox.register_calls where phone_number_id = ? and called_at <= ?
     ), added as (
       insert into sandbox.register_calls (phone_number_id, called_at) values (?, ?)
     )
     select count(*)::int + 1 as calls from sandbox.register_calls where phone_number_id = ? and called_at > ?`,
    [phoneNumberId, windowStart, phoneNumberId, now, phoneNumberId, windowStart],
  );
  return rows[0]!.calls;
}
