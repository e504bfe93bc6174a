import type { EntityManager } from '@mikro-orm/postgresql';
import type { WebhookDestinationKind, WebhookFormat } from '../../../../shared/statuses.ts';
import { query, queryBound, run, withDates } from '../../../db/sql.ts';
import { RUNNER_LOCK } from './delivery-jobs.ts';
import type { Health } from './destination-health.ts';

/** Every SQL statement that moves deliveries through their states, one function each. */

export interface DestinationRow extends Health {
  id: string;
  partnerId: string;
  kind: WebhookDestinationKind;
  url: string | null;
  permissionId: string | null;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
  headersSealed: string | null;
  format: WebhookFormat;
}

const DESTINATION_COLUMNS = `id, partner_id as "partnerId", kind, url, permission_id as "permissionId", format,
  secret_sealed as "secretSealed", previous_secret_sealed as "previousSecretSealed",
  previous_secret_expires_at as "previousSecretExpiresAt", headers_sealed as "headersSealed",
  failing_since as "failingSince", consecutive_failures as "consecutiveFailures", disabled_at as "disabledAt",
  disabled_reason as "disabledReason", circuit_open_until as "circuitOpenUntil"`;

const destinationRow = (row: DestinationRow | undefined) =>
  row ? withDates(row, ['previousSecretExpiresAt', 'failingSince', 'disabledAt', 'circuitOpenUntil']) : null;

export async function loadDestination(em: EntityManager, id: string): Promise<DestinationRow | null> {
  const rows = await query<DestinationRow>(
    em,
    `select ${DESTINATION_COLUMNS} from webhook_destinations where id = ?`,
    [id],
  );
  return destinationRow(rows[0]);
}

/** Due deliveries of one destination with their events, after a cursor (then: order and limit). */
const DUE_PAGE = `select d.id, d.attempt_count as "attemptCount", d.next_attempt_at as "nextAttemptAt",
         e.id as "eventId", e.type as "eventType", e.body, e.trace_parent as "traceParent"
    from webhook_deliveries d join webhook_events e on e.id = d.event_id
   where d.destination_id = ? and d.status = 'pending' and d.next_attempt_at <= ?
     and (d.next_attempt_at, d.id) > (?::timestamptz, ?)`;

/**
 * Makes `jobId` the destination's runner, unless another job is: one whose graphile-worker
 * lock is still held. A runner that died loses the role as soon as the fence releases its
 * lock. `busy`: another job is delivering for this destination; `gone`: it was removed.
 * A new runner gets the first page of due deliveries with the role, in the same round trip.
 */
export async function claimRunner(
  em: EntityManager,
  id: string,
  jobId: string,
  firstPage: { dueAt: Date; limit: number },
): Promise<{ destination: DestinationRow; page: DueDelivery[] } | 'busy' | 'gone'> {
  const rows = await query<DestinationRow & { claimed: boolean; page: DueDelivery[] }>(
    em,
    `with claimed as (
       update webhook_destinations d set runner_job_id = ?
        where d.id = ? and (d.runner_job_id is null or d.runner_job_id = ? or not exists (
                select 1 from graphile_worker.jobs j where j.id = d.runner_job_id and j.locked_at is not null))
        returning ${DESTINATION_COLUMNS}),
     page as (${DUE_PAGE} and exists (select 1 from claimed)
       order by d.next_attempt_at, d.id limit ?)
     select *, true as claimed, (select coalesce(json_agg(page), '[]') from page) as page from claimed
     union all
     select ${DESTINATION_COLUMNS}, false, '[]'::json from webhook_destinations
      where id = ? and not exists (select 1 from claimed)`,
    [jobId, id, jobId, id, firstPage.dueAt, new Date(0), '', firstPage.limit, id],
  );
  const row = rows[0];
  if (!row) return 'gone';
  if (!row.claimed) return 'busy';
  return { destination: destinationRow(row)!, page: row.page.map((r) => withDates(r, ['nextAttemptAt'])) };
}

/**
 * Gives the runner role up, unless (with `onlyIfIdle`) deliveries are due by `dueAt`: those
 * were recorded while this job ran, and their own jobs left them to it. Also tells when the
 * destination's next pending delivery comes due.
 */
export async function releaseRunner(
  tx: EntityManager,
  id: string,
  jobId: string,
  options: { onlyIfIdle: Date | null },
): Promise<{ released: boolean; nextDueAt: Date | null }> {
  // Waits for transactions recording work for this destination (they skipped its job, trusting
  // this runner); the statement below then sees what they committed.
  await query(tx, `select pg_advisory_xact_lock(${RUNNER_LOCK}) from (select ?::text as id) x`, [id]);
  const idle = options.onlyIfIdle
    ? `and not exists (select 1 from webhook_deliveries w
                        where w.destination_id = d.id and w.status = 'pending' and w.next_attempt_at <= ?)`
    : '';
  const [row] = await query<{ released: number; nextDueAt: string | null }>(
    tx,
    `with released as (
       update webhook_destinations d set runner_job_id = null where d.id = ? and d.runner_job_id = ? ${idle}
       returning 1)
     select (select count(*) from released)::int as released,
            (select min(next_attempt_at) from webhook_deliveries where destination_id = ? and status = 'pending')
              as "nextDueAt"`,
    options.onlyIfIdle ? [id, jobId, options.onlyIfIdle, id] : [id, jobId, id],
  );
  return { released: (row?.released ?? 0) > 0, nextDueAt: row?.nextDueAt ? new Date(row.nextDueAt) : null };
}

export interface DueDelivery {
  id: string;
  attemptCount: number;
  nextAttemptAt: Date;
  eventId: string;
  eventType: string;
  body: string;
  /** The trace that recorded the event (tracing on): the attempt continues it. */
  traceParent: string | null;
}

export interface Cursor {
  at: Date;
  id: string;
}

/**
 * Deliveries due within this much of a worker's clock count as due: the process that scheduled
 * them may run a few milliseconds ahead, and a job woken for them must not find nothing.
 */
export const DUE_TOLERANCE_MS = 250;

export const dueBy = (now: Date) => new Date(now.getTime() + DUE_TOLERANCE_MS);

/**
 * The destination's deliveries due by `dueAt`, oldest first, after `cursor`: a running job pages
 * through them without seeing its in-flight ones again, and still sees deliveries recorded meanwhile.
 */
export async function loadDue(
  em: EntityManager,
  destinationId: string,
  dueAt: Date,
  after: Cursor | null,
  limit: number,
  /** Sent, with outcomes not yet committed: still `pending` in the database, but not due. */
  except: readonly string[] = [],
): Promise<DueDelivery[]> {
  const exclusion = except.length > 0 ? ` and d.id not in (select jsonb_array_elements_text(?::jsonb))` : '';
  const rows = await query<DueDelivery>(
    em,
    `${DUE_PAGE}${exclusion} order by d.next_attempt_at, d.id limit ?`,
    [
      destinationId,
      dueAt,
      after?.at ?? new Date(0),
      after?.id ?? '',
      ...(except.length > 0 ? [JSON.stringify(except)] : []),
      limit,
    ],
  );
  return rows.map((r) => withDates(r, ['nextAttemptAt']));
}

export interface AttemptRow {
  id: string;
  deliveryId: string;
  trigger: 'scheduled' | 'manual';
  startedAt: Date;
  durationMs: number;
  requestHeaders: Record<string, string> | null;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
}

/** Postgres text cannot hold NUL, and receivers can answer anything. */
const clean = (s: string | null) => s?.replaceAll('\u0000', '\uFFFD') ?? null;

/** The attempts, as JSON in parameter $1. */
const INSERT_ATTEMPTS = `insert into webhook_attempts (id, delivery_id, trigger, started_at, duration_ms,
    request_headers, response_status, response_body, error)
  select * from json_to_recordset($1::json) as x(id text, delivery_id text, trigger text, started_at timestamptz,
    duration_ms int, request_headers jsonb, response_status int, response_body text, error text)`;

const attemptsJson = (attempts: AttemptRow[]) =>
  JSON.stringify(
    attempts.map((a) => ({
      id: a.id,
      delivery_id: a.deliveryId,
      trigger: a.trigger,
      started_at: a.startedAt,
      duration_ms: a.durationMs,
      request_headers: a.requestHeaders,
      response_status: a.responseStatus,
      response_body: clean(a.responseBody),
      error: clean(a.error),
    })),
  );

export async function insertAttempts(tx: EntityManager, attempts: AttemptRow[]): Promise<void> {
  if (attempts.length === 0) return;
  await queryBound(tx, INSERT_ATTEMPTS, [attemptsJson(attempts)]);
}

export interface DeliveryUpdate {
  id: string;
  /** The attempt count this outcome was reached from: a stale outcome (another run got there first) is dropped. */
  expectedAttempts: number;
  status: 'pending' | 'succeeded' | 'failed';
  attemptCount: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date;
  url: string;
}

/**
 * A run's outcomes, in one statement (so, on its own, in one transaction): the attempts
 * appended, the deliveries moved (only from the attempt count they started at), the
 * destination's health saved.
 */
export async function recordOutcomes(
  em: EntityManager,
  destinationId: string,
  outcomes: { attempts: AttemptRow[]; updates: DeliveryUpdate[]; health: Health },
  now: Date,
): Promise<void> {
  const { attempts, updates, health: h } = outcomes;
  await queryBound(
    em,
    `with attempts as (${INSERT_ATTEMPTS}),
     deliveries as (
       update webhook_deliveries d set status = v.status, attempt_count = v.attempt_count,
         next_attempt_at = v.next_attempt_at, last_attempt_at = v.last_attempt_at, url = v.url,
         succeeded_at = case when v.status = 'succeeded' then $2::timestamptz else d.succeeded_at end, updated_at = $3
       from json_to_recordset($4::json) as v(id text, expected int, status text, attempt_count int,
         next_attempt_at timestamptz, last_attempt_at timestamptz, url text)
       where d.id = v.id and d.status = 'pending' and d.attempt_count = v.expected
       returning 1),
     health as (
       update webhook_destinations set failing_since = $5, consecutive_failures = $6, disabled_at = $7,
         disabled_reason = $8, circuit_open_until = $9, updated_at = $10
       where id = $11
       returning 1)
     select (select count(*) from deliveries)::int as moved`,
    [
      attemptsJson(attempts),
      now,
      now,
      JSON.stringify(
        updates.map((u) => ({
          id: u.id,
          expected: u.expectedAttempts,
          status: u.status,
          attempt_count: u.attemptCount,
          next_attempt_at: u.nextAttemptAt,
          last_attempt_at: u.lastAttemptAt,
          url: u.url,
        })),
      ),
      h.failingSince,
      h.consecutiveFailures,
      h.disabledAt,
      h.disabledReason,
      h.circuitOpenUntil,
      now,
      destinationId,
    ],
  );
}

/** A destination that is gone, disabled or without a URL can take nothing: its pending deliveries end failed. */
export function failPending(tx: EntityManager, destinationId: string, now: Date): Promise<number> {
  return run(
    tx,
    `update webhook_deliveries set status = 'failed', next_attempt_at = null, updated_at = ?
      where destination_id = ? and status = 'pending'`,
    [now, destinationId],
  );
}
