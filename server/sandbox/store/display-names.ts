import type { Query } from './db.ts';

/** Meta allows 10 display name changes per number in 30 days. */
export const DISPLAY_NAME_LIMIT = 10;
export const DISPLAY_NAME_WINDOW_MS = 30 * 24 * 3600 * 1000;

export interface DisplayNameRequest {
  newDisplayName: string;
  /** PENDING_REVIEW until the control API decides: APPROVED or DECLINED. */
  status: string;
}

/** Requests the number made in the window (Meta counts each change request). */
export async function countDisplayNameRequests(q: Query, phoneNumberId: string, now: Date): Promise<number> {
  const rows = await q<{ n: number }>(
    `select count(*)::int n from sandbox.display_name_requests where phone_number_id = ? and requested_at > ?`,
    [phoneNumberId, new Date(now.getTime() - DISPLAY_NAME_WINDOW_MS)],
  );
  return rows[0]!.n;
}

export async function addDisplayNameRequest(q: Query, phoneNumberId: string, name: string, now: Date) {
  await q(
    `insert into sandbox.display_name_requests (phone_number_id, new_display_name, status, requested_at)
     values (?, ?, 'PENDING_REVIEW', ?)`,
    [phoneNumberId, name, now],
  );
}

export async function latestDisplayNameRequest(
  q: Query,
  phoneNumberId: string,
): Promise<DisplayNameRequest | undefined> {
  const rows = await q<{ new_display_name: string; status: string }>(
    `select new_display_name, status from sandbox.display_name_requests
      where phone_number_id = ? order by id desc limit 1`,
    [phoneNumberId],
  );
  const r = rows[0];
  return r ? { newDisplayName: r.new_display_name, status: r.status } : undefined;
}

/**
 * Meta decides on the pending request: an approved name becomes the number's verified name.
 * Returns the name decided on, or undefined when none was pending.
 */
export async function decideDisplayName(
  q: Query,
  phoneNumberId: string,
  decision: string,
): Promise<string | undefined> {
  const rows = await q<{ new_display_name: string }>(
    `update sandbox.display_name_requests set status = ?
      where id = (select max(id) from sandbox.display_name_requests where phone_number_id = ?)
        and status = 'PENDING_REVIEW'
      returning new_display_name`,
    [
      decision === 'APPROVED' ? 'APPROVED' : decision === 'REJECTED' ? 'DECLINED' : 'PENDING_REVIEW',
      phoneNumberId,
    ],
  );
  const name = rows[0]?.new_display_name;
  if (name && decision === 'APPROVED') {
    await q('update sandbox.phone_numbers set verified_name = ? where id = ?', [name, phoneNumberId]);
  }
  return name;
}
