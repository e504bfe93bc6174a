import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { decodeTime } from 'ulid';
import { query, run } from '../db/sql.ts';
import type { GraphCallObservation } from '../meta/graph-client.ts';
import type { DeliveryObserver, DeliveryOutcome } from '../modules/webhooks/delivery/engine.ts';

/**
 * The database gauges are read at scrape time; a scrape never waits longer than this for them
 * (statement timeout and overall bound), and then reports `partner_hub_metrics_database_up 0`.
 */
export const METRICS_DATABASE_TIMEOUT_MS = 1000;

/** Route label of a request that no route matched: never the raw URL, which carries ids. */
export const UNMATCHED_ROUTE = '(unmatched)';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 6 * 3600, 24 * 3600];

/** One pass over the tables the gauges report on (partial indexes keep the pending counts cheap). */
const DATABASE_GAUGES_SQL = `select
  (select json_build_object(
     'due', count(*) filter (where next_attempt_at <= now()),
     'scheduled', count(*) filter (where next_attempt_at is null or next_attempt_at > now()),
     'oldest', extract(epoch from now() - min(next_attempt_at) filter (where next_attempt_at <= now())))
     from webhook_deliveries where status = 'pending') as backlog,
  (select json_build_object(
     'failing', count(*) filter (where failing_since is not null and disabled_at is null),
     'disabled', count(*) filter (where disabled_at is not null))
     from webhook_destinations) as destinations,
  (select json_build_object(
     'due', count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now()),
     'scheduled', count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now()),
     'running', count(*) filter (where locked_at is not null),
     'failed', count(*) filter (where locked_at is null and attempts >= max_attempts),
     'oldest', extract(epoch from now() - min(run_at)
                 filter (where locked_at is null and attempts < max_attempts and run_at <= now())))
     from graphile_worker._private_jobs) as jobs,
  (select json_build_object(
     'by_status', coalesce(json_object_agg(status, n), '{}'::json),
     'unowned', coalesce(sum(unowned), 0))
     from (select status, count(*) n,
                  count(*) filter (where desired = 'active' and (lease_until is null or lease_until < now())) unowned
             from linked_device_sessions group by status) s) as linked_devices`;

export interface DatabaseGauges {
  backlog: { due: number; scheduled: number; oldest: number | null };
  destinations: { failing: number; disabled: number };
  jobs: { due: number; scheduled: number; running: number; failed: number; oldest: number | null };
  /** Linked-device sessions by status, and those that should run but no worker holds. */
  linked_devices: { by_status: Record<string, number>; unowned: number };
}

/**
 * The database gauges in one read, bounded by `METRICS_DATABASE_TIMEOUT_MS` of statement time:
 * what `/metrics` exports, and what the console's system health shows.
 */
export async function readDatabaseGauges(em: EntityManager): Promise<DatabaseGauges> {
  const row = await em.transactional(async (tx) => {
    await run(tx, `set local statement_timeout = ${METRICS_DATABASE_TIMEOUT_MS}`);
    const [first] = await query<{ [K in keyof DatabaseGauges]: DatabaseGauges[K] | string }>(
      tx,
      DATABASE_GAUGES_SQL,
    );
    return first!;
  });
  const parse = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  return {
    backlog: parse(row.backlog),
    destinations: parse(row.destinations),
    jobs: parse(row.jobs),
    linked_devices: parse(row.linked_devices),
  };
}

/** The time an id's ULID was made (ids are `prefix_<ulid>`), or null for anything else. */
export function idTimeMs(id: string): number | null {
  const ulid = id.slice(id.indexOf('_') + 1).toUpperCase();
  try {
    return decodeTime(ulid);
  } catch {
    return null;
  }
}

/**
 * The hub's Prometheus metrics, in a registry of its own (tests open several hubs per process).
 * Adapters record into it: the HTTP middleware, the webhook engine's observer, the Graph client,
 * the Meta webhook route. Gauges that describe the database are read when scraped (`scrape`).
 */
export class HubMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'partner_hub_http_request_duration_seconds',
    help: 'HTTP requests by method, Express route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'partner_hub_webhook_deliveries_total',
    help: 'Webhook delivery attempts by what they made of the delivery (succeeded, retrying, failed) and trigger',
    labelNames: ['outcome', 'trigger'] as const,
    registers: [this.registry],
  });

  readonly deliveryLag = new Histogram({
    name: 'partner_hub_webhook_delivery_lag_seconds',
    help: 'From an event being recorded to the attempt that delivered it',
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });

  readonly inboundMetaWebhooks = new Counter({
    name: 'partner_hub_inbound_meta_webhooks_total',
    help: "Meta's webhook deliveries to the hub: relayed (stored and routed), rejected (bad signature) or failed (not stored; Meta retries)",
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly graphDuration = new Histogram({
    name: 'partner_hub_graph_request_duration_seconds',
    help: "Calls to Meta's Graph API (or the sandbox) by operation and outcome (ok or error)",
    labelNames: ['operation', 'outcome'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  readonly graphErrors = new Counter({
    name: 'partner_hub_graph_errors_total',
    help: "Graph API errors by operation and Meta's error code (http_<status> without one, network without an answer)",
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });

  readonly #databaseUp = new Gauge({
    name: 'partner_hub_metrics_database_up',
    help: 'Whether the database gauges could be read at this scrape (1) or not within the timeout (0)',
    registers: [this.registry],
  });

  readonly #backlog = new Gauge({
    name: 'partner_hub_webhook_backlog',
    help: 'Pending webhook deliveries: due now, or scheduled for a later retry',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly #backlogOldest = new Gauge({
    name: 'partner_hub_webhook_backlog_oldest_due_seconds',
    help: 'How long the oldest due webhook delivery has been due (0 when none is)',
    registers: [this.registry],
  });

  readonly #destinations = new Gauge({
    name: 'partner_hub_webhook_destinations',
    help: 'Webhook destinations that are failing (not disabled yet) or disabled',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly #jobs = new Gauge({
    name: 'partner_hub_jobs',
    help: 'graphile-worker jobs by state: due, scheduled, running (locked) or failed (out of attempts)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly #jobsOldest = new Gauge({
    name: 'partner_hub_jobs_oldest_due_seconds',
    help: 'How long the oldest due job has waited for a worker (0 when none is due)',
    registers: [this.registry],
  });

  readonly #linkedDevices = new Gauge({
    name: 'partner_hub_linked_device_sessions',
    help: 'Linked-device sessions by status (PENDING, QR, CONNECTING, CONNECTED, DISCONNECTED, LOGGED_OUT)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly #linkedDevicesUnowned = new Gauge({
    name: 'partner_hub_linked_device_sessions_unowned',
    help: 'Linked-device sessions that should run but no worker holds (a takeover pending, or no worker running)',
    registers: [this.registry],
  });

  readonly #pool = new Gauge({
    name: 'partner_hub_db_pool_connections',
    help: 'Database pool connections by pool (orm: MikroORM, aux: rate limits and sessions) and state (used, idle, waiting requests)',
    labelNames: ['pool', 'state'] as const,
    registers: [this.registry],
    // Read when scraped: the pools count their own connections.
    collect: () => {
      for (const [name, pool] of this.#pools) {
        this.#pool.set({ pool: name, state: 'used' }, pool.totalCount - pool.idleCount);
        this.#pool.set({ pool: name, state: 'idle' }, pool.idleCount);
        this.#pool.set({ pool: name, state: 'waiting' }, pool.waitingCount);
      }
    },
  });

  readonly #pools = new Map<string, pg.Pool>();
  #inFlight: Promise<void> | undefined;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Reports a node-postgres pool's connections under `pool=name`. */
  watchPool(name: string, pool: pg.Pool): void {
    this.#pools.set(name, pool);
  }

  /** The webhook engine's observer: outcomes as attempts finish, the lag on a scheduled success. */
  readonly deliveryObserver: DeliveryObserver = {
    attempted: (outcome: DeliveryOutcome, eventId: string, trigger: 'scheduled' | 'manual') => {
      this.deliveries.inc({ outcome, trigger });
      if (outcome !== 'succeeded' || trigger !== 'scheduled') return;
      const recordedAt = idTimeMs(eventId);
      if (recordedAt !== null) this.deliveryLag.observe(Math.max(0, Date.now() - recordedAt) / 1000);
    },
  };

  /** The Graph client's observer. */
  readonly graphObserver = (call: GraphCallObservation): void => {
    this.graphDuration.observe(
      { operation: call.operation, outcome: call.errorCode === undefined ? 'ok' : 'error' },
      call.durationMs / 1000,
    );
    if (call.errorCode !== undefined)
      this.graphErrors.inc({ operation: call.operation, code: call.errorCode });
  };

  /**
   * The exposition text. The database gauges are read first, one scrape at a time, within
   * `METRICS_DATABASE_TIMEOUT_MS`; when they cannot be, they are left out and
   * `partner_hub_metrics_database_up` says 0.
   */
  async scrape(em: () => EntityManager): Promise<string> {
    this.#inFlight ??= this.#readDatabase(em).finally(() => {
      this.#inFlight = undefined;
    });
    await this.#inFlight;
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async #readDatabase(em: () => EntityManager): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), METRICS_DATABASE_TIMEOUT_MS);
    });
    const read = readDatabaseGauges(em());
    try {
      const { backlog, destinations, jobs, linked_devices } = await Promise.race([read, timeout]);
      this.#backlog.set({ state: 'due' }, backlog.due);
      this.#backlog.set({ state: 'scheduled' }, backlog.scheduled);
      this.#backlogOldest.set(Math.max(0, backlog.oldest ?? 0));
      this.#destinations.set({ state: 'failing' }, destinations.failing);
      this.#destinations.set({ state: 'disabled' }, destinations.disabled);
      for (const state of ['due', 'scheduled', 'running', 'failed'] as const)
        this.#jobs.set({ state }, jobs[state]);
      this.#jobsOldest.set(Math.max(0, jobs.oldest ?? 0));
      this.#linkedDevices.reset();
      for (const [status, n] of Object.entries(linked_devices.by_status))
        this.#linkedDevices.set({ status }, n);
      this.#linkedDevicesUnowned.set(Number(linked_devices.unowned));
      this.#databaseUp.set(1);
    } catch {
      read.catch(() => {});
      // Stale figures would mislead: leave them out until the next scrape that can read them.
      for (const g of [
        this.#backlog,
        this.#backlogOldest,
        this.#destinations,
        this.#jobs,
        this.#jobsOldest,
        this.#linkedDevices,
        this.#linkedDevicesUnowned,
      ])
        g.reset();
      this.#databaseUp.set(0);
    } finally {
      clearTimeout(timer);
    }
  }
}
