import type { EntityManager } from '@mikro-orm/postgresql';
import { encodeTime } from 'ulid';
import { ID_PREFIXES } from '../../../shared/ids.ts';
import { query } from '../../db/sql.ts';
import { type Readiness, readinessProbe } from '../../http/health.ts';
import type { Hub } from '../../hub.ts';
import {
  type DatabaseGauges,
  METRICS_DATABASE_TIMEOUT_MS,
  readDatabaseGauges,
} from '../../observability/metrics.ts';

/** The delivery chart's window: one point per minute. */
export const DELIVERY_WINDOW_MINUTES = 60;
/** Queue samples kept per process (one per SAMPLE_INTERVAL_MS at most: 10 minutes). */
export const QUEUE_SAMPLES = 60;
const SAMPLE_INTERVAL_MS = 10_000;
const FAILING_DESTINATIONS_SHOWN = 50;

export interface QueueSample {
  /** Unix seconds. */
  at: number;
  due: number;
  running: number;
  scheduled: number;
  failed: number;
  oldest_due_seconds: number;
}

/**
 * Per-hub state: a readiness probe of its own (it remembers applied migrations) and the queue
 * depth samples. Samples live in this process's memory: the chart shows what this process saw
 * while operators looked, which is enough to spot a queue that grows; Prometheus keeps history.
 */
interface HubHealthState {
  readiness: () => Promise<Readiness>;
  samples: QueueSample[];
}
const states = new WeakMap<Hub, HubHealthState>();
function stateOf(deps: Hub): HubHealthState {
  let state = states.get(deps);
  if (!state) {
    state = { readiness: readinessProbe(deps), samples: [] };
    states.set(deps, state);
  }
  return state;
}

function sample(state: HubHealthState, gauges: DatabaseGauges, now: number): void {
  const last = state.samples.at(-1);
  if (last && now - last.at * 1000 < SAMPLE_INTERVAL_MS) return;
  state.samples.push({
    at: Math.floor(now / 1000),
    due: gauges.jobs.due,
    running: gauges.jobs.running,
    scheduled: gauges.jobs.scheduled,
    failed: gauges.jobs.failed,
    oldest_due_seconds: Math.max(0, Math.round(gauges.jobs.oldest ?? 0)),
  });
  if (state.samples.length > QUEUE_SAMPLES) state.samples.splice(0, state.samples.length - QUEUE_SAMPLES);
}

/** The database gauges of `/metrics`, or null when they cannot be read within the same bound. */
async function gaugesWithin(em: EntityManager): Promise<DatabaseGauges | null> {
  let timer: NodeJS.Timeout | undefined;
  const read = readDatabaseGauges(em);
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), METRICS_DATABASE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([read, timeout]);
  } catch {
    return null;
  } finally {
    read.catch(() => {});
    clearTimeout(timer);
  }
}

export interface DeliveryMinute {
  /** Unix seconds of the minute's start. */
  minute: number;
  succeeded: number;
  failed: number;
}

/**
 * Delivery attempts per minute over the last hour, succeeded (2xx) or not, every minute present.
 * Attempt ids are ULIDs, so the window is also a range of the primary key: the scan stays
 * within the last hour's rows without an index on `started_at`.
 */
export async function deliveriesPerMinute(em: EntityManager, now: Date): Promise<DeliveryMinute[]> {
  // Ids carry the wall-clock time they were made at; the bound is taken early enough for both clocks.
  const since = Math.min(now.getTime(), Date.now()) - (DELIVERY_WINDOW_MINUTES + 1) * 60_000;
  const lowestId = `${ID_PREFIXES.webhookAttempt}_${encodeTime(since, 10).toLowerCase()}`;
  const rows = await query<{ minute: string | number; succeeded: string | number; failed: string | number }>(
    em,
    `with minutes as (
       select generate_series(date_trunc('minute', ?::timestamptz) - interval '${DELIVERY_WINDOW_MINUTES - 1} minutes',
                              date_trunc('minute', ?::timestamptz), interval '1 minute') as minute)
     select extract(epoch from m.minute)::bigint as minute,
            count(a.id) filter (where a.response_status between 200 and 299) as succeeded,
            count(a.id) filter (where a.response_status is null or a.response_status not between 200 and 299) as failed
       from minutes m
       left join webhook_attempts a
         on a.id >= ? and a.started_at >= m.minute and a.started_at < m.minute + interval '1 minute'
      group by m.minute
      order by m.minute`,
    [now, now, lowestId],
  );
  return rows.map((r) => ({
    minute: Number(r.minute),
    succeeded: Number(r.succeeded),
    failed: Number(r.failed),
  }));
}

export interface FailingDestination {
  id: string;
  partner_id: string;
  partner_name: string;
  kind: string;
  /** Scheme and host only: paths and queries may carry the partner's secrets. */
  host: string | null;
  failing_since: string | null;
  disabled_at: string | null;
  disabled_reason: string | null;
  consecutive_failures: number;
}

const hostOf = (url: string | null) => {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
};

/** Destinations failing or disabled, the longest failing first (those the gauges count). */
export async function failingDestinations(em: EntityManager): Promise<FailingDestination[]> {
  const rows = await query<{
    id: string;
    partner_id: string;
    partner_name: string;
    kind: string;
    url: string | null;
    failing_since: Date | string | null;
    disabled_at: Date | string | null;
    disabled_reason: string | null;
    consecutive_failures: number;
  }>(
    em,
    `select d.id, d.partner_id, p.name partner_name, d.kind, d.url, d.failing_since, d.disabled_at,
            d.disabled_reason, d.consecutive_failures
       from webhook_destinations d join partners p on p.id = d.partner_id
      where d.failing_since is not null or d.disabled_at is not null
      order by coalesce(d.failing_since, d.disabled_at), d.id
      limit ${FAILING_DESTINATIONS_SHOWN}`,
  );
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return rows.map((r) => ({
    id: r.id,
    partner_id: r.partner_id,
    partner_name: r.partner_name,
    kind: r.kind,
    host: hostOf(r.url),
    failing_since: iso(r.failing_since),
    disabled_at: iso(r.disabled_at),
    disabled_reason: r.disabled_reason,
    consecutive_failures: r.consecutive_failures,
  }));
}

export interface WorkerPool {
  pool_id: string;
  process: string;
  started_at: string;
  seen_at: string;
  /** Seconds since the pool last touched its heartbeat (database time). */
  silent_seconds: number;
  /** Silent for `WORKER_DEAD_AFTER_SECONDS`: the fence releases its jobs (jobs/fence.ts). */
  dead: boolean;
}

async function workerPools(em: EntityManager, deadAfterMs: number): Promise<WorkerPool[]> {
  const rows = await query<{
    pool_id: string;
    process: string;
    started_at: Date | string;
    seen_at: Date | string;
    silent_seconds: number | string;
  }>(
    em,
    `select pool_id, process, started_at, seen_at, extract(epoch from now() - seen_at) silent_seconds
       from worker_heartbeats order by started_at`,
  );
  return rows.map((r) => ({
    pool_id: r.pool_id,
    process: r.process,
    started_at: new Date(r.started_at).toISOString(),
    seen_at: new Date(r.seen_at).toISOString(),
    silent_seconds: Math.max(0, Math.round(Number(r.silent_seconds))),
    dead: Number(r.silent_seconds) * 1000 >= deadAfterMs,
  }));
}

/**
 * What the operator's health page shows: `/readyz`'s checks, `/metrics`' database gauges (read
 * by the same query), the worker pools' heartbeats, deliveries per minute and the failing
 * destinations. When the gauges cannot be read the page says so instead of showing stale figures.
 */
export async function systemHealth(deps: Hub, em: () => EntityManager) {
  const state = stateOf(deps);
  const now = deps.clock.now();
  const [readiness, gauges] = await Promise.all([state.readiness(), gaugesWithin(em())]);
  if (gauges) sample(state, gauges, Date.now());
  const database = readiness.checks.database === 'ok' && gauges !== null;
  const [deliveries, failing, pools] = database
    ? await Promise.all([
        deliveriesPerMinute(em(), now),
        failingDestinations(em()),
        workerPools(em(), deps.config.worker.deadAfterMs),
      ])
    : [[], [], []];
  return {
    checked_at: now.toISOString(),
    ready: readiness.ready,
    checks: readiness.checks,
    gauges,
    queue_samples: [...state.samples],
    deliveries_per_minute: deliveries,
    failing_destinations: failing,
    worker_pools: pools,
  };
}
