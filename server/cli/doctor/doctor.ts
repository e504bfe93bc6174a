import { existsSync } from 'node:fs';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ConfigError, type HubConfig } from '../../config/env.ts';
import { runningEmbeddedPostgresUrl } from '../../db/embedded-postgres.ts';
import { pendingMigrations } from '../../db/migrate.ts';
import { createOrm } from '../../db/orm.ts';
import { GraphClient } from '../../meta/graph-client.ts';
import { GraphError } from '../../meta/graph-error.ts';
import { resolveMetaApp } from '../../meta/meta-app.ts';
import { sandboxExposureWarning } from '../../meta/sandbox-exposure.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  name: string;
  status: CheckStatus;
  /** One line: what was found. */
  detail: string;
  /** One line: how to fix it (only when the check is not ok). */
  hint?: string;
}

export interface FailingDestination {
  id: string;
  partner_id: string;
  kind: string;
  /** The host of the destination's URL (never the path or query, which may carry tokens). */
  host: string | null;
  state: 'disabled' | 'failing';
  failing_since: string | null;
  consecutive_failures: number;
  disabled_at: string | null;
  disabled_reason: string | null;
}

export interface DoctorReport {
  /** False when any check failed (warnings do not count). */
  ok: boolean;
  checks: Check[];
  failing_destinations: FailingDestination[];
}

export interface DoctorOptions {
  /** Reads the configuration; a ConfigError becomes the failing `config` check. */
  loadConfig: () => HubConfig;
  /** Bound on every network or database step. */
  timeoutMs: number;
}

/** Destinations listed at most; the check's detail still counts them all. */
export const MAX_LISTED_DESTINATIONS = 100;

/**
 * `partner-hub doctor`: looks at a hub's configuration, database, schema, workers, Meta and
 * webhook destinations, and says what is wrong and how to fix it. It starts no database and
 * applies no migration, and every network or database step is bounded by
 * `timeoutMs`, so it answers promptly about a hub that is down.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const checks: Check[] = [];
  let failingDestinations: FailingDestination[] = [];
  const report = (): DoctorReport => ({
    ok: checks.every((c) => c.status !== 'fail'),
    checks,
    failing_destinations: failingDestinations,
  });

  let config: HubConfig;
  try {
    config = options.loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    checks.push({
      name: 'config',
      status: 'fail',
      detail: err.message,
      hint: 'fix the variable named above (README: Configuration); nothing else can be checked until it parses',
    });
    return report();
  }
  checks.push(...configChecks(config));

  const { timeoutMs } = options;
  const databaseUrl = config.databaseUrl ?? (await runningEmbeddedPostgresUrl(config.dataDir));
  /** Without a database only Meta can still be checked; the rest is reported as not checked. */
  const withoutDatabase = async (reason: string): Promise<DoctorReport> => {
    for (const name of ['migrations', 'worker'] as const)
      checks.push({ name, status: 'warn', detail: `not checked: ${reason}` });
    checks.push(await metaCheck(config, timeoutMs));
    checks.push({ name: 'webhook_destinations', status: 'warn', detail: `not checked: ${reason}` });
    return report();
  };
  if (!databaseUrl) {
    checks.push({
      name: 'database',
      status: 'warn',
      detail: `no DATABASE_URL, and the embedded PostgreSQL in ${path.join(config.dataDir, 'pg')} is not running`,
      hint: 'start the hub (`npm start` starts the embedded database), or set DATABASE_URL',
    });
    return withoutDatabase('no database to look at');
  }

  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: 'partner-hub-doctor',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
  });
  // A connection dropped after the checks must not crash the report.
  client.on('error', () => {});
  try {
    const database = await databaseCheck(client, databaseUrl, timeoutMs);
    checks.push(database);
    if (database.status === 'fail') return await withoutDatabase('the database is not reachable');
    const migrations = await migrationsCheck(client, databaseUrl, timeoutMs);
    checks.push(migrations);
    const schemaCurrent = migrations.status === 'ok';
    checks.push(
      schemaCurrent
        ? await workerCheck(client, config, timeoutMs)
        : { name: 'worker', status: 'warn', detail: 'not checked: the schema is not current' },
    );
    checks.push(await metaCheck(config, timeoutMs));
    if (schemaCurrent) {
      const destinations = await destinationsCheck(client, timeoutMs);
      checks.push(destinations.check);
      failingDestinations = destinations.listed;
    } else {
      checks.push({
        name: 'webhook_destinations',
        status: 'warn',
        detail: 'not checked: the schema is not current',
      });
    }
    return report();
  } finally {
    await bounded('closing the database connection', 1000, () => client.end()).catch(() => {});
  }
}

function configChecks(config: HubConfig): Check[] {
  const checks: Check[] = [];
  const database = config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}`;
  checks.push({
    name: 'config',
    status: 'ok',
    detail: `parses: NODE_ENV=${config.nodeEnv}, META_MODE=${config.meta.mode}, database ${database}`,
  });

  const url = new URL(config.publicUrl);
  if (url.protocol === 'https:') {
    checks.push({ name: 'public_url', status: 'ok', detail: `${config.publicUrl} (https)` });
  } else if (config.nodeEnv === 'production') {
    // parseConfig refuses this already; kept so the doctor never calls it fine.
    checks.push({
      name: 'public_url',
      status: 'fail',
      detail: `${config.publicUrl} is not https in production`,
      hint: 'set PUBLIC_URL to the https:// URL partners reach (TLS may end at a proxy: see TRUST_PROXY)',
    });
  } else if (isLoopback(url.hostname)) {
    checks.push({
      name: 'public_url',
      status: 'ok',
      detail: `${config.publicUrl} (local, ${config.nodeEnv})`,
    });
  } else {
    checks.push({
      name: 'public_url',
      status: 'warn',
      detail: `${config.publicUrl} is reachable by others over plain http`,
      hint: 'serve the hub over https (a proxy in front of it is fine) and set PUBLIC_URL to that https:// URL',
    });
  }

  const exposure = sandboxExposureWarning(config);
  checks.push(
    exposure
      ? {
          name: 'sandbox_exposure',
          status: 'warn',
          detail: 'META_MODE=sandbox in production: /sandbox and /demo answer without authentication',
          hint: 'set META_APP_ID, META_APP_SECRET and META_CONFIG_ID (META_MODE=production), or keep this hub off the internet',
        }
      : {
          name: 'sandbox_exposure',
          status: 'ok',
          detail:
            config.meta.mode === 'sandbox'
              ? `sandbox routes served, NODE_ENV=${config.nodeEnv}`
              : 'no sandbox routes (META_MODE=production)',
        },
  );

  const secretFile = path.join(config.dataDir, 'hub-secret');
  if (config.hubSecret) {
    checks.push({ name: 'hub_secret', status: 'ok', detail: 'HUB_SECRET set in the environment' });
  } else if (config.nodeEnv === 'development') {
    checks.push({
      name: 'hub_secret',
      status: 'ok',
      detail: existsSync(secretFile)
        ? `development secret kept in ${secretFile}`
        : `a development secret will be generated into ${secretFile} on first start`,
    });
  } else {
    checks.push({
      name: 'hub_secret',
      status: 'warn',
      detail: `HUB_SECRET is not set: NODE_ENV=${config.nodeEnv} uses the one generated in ${secretFile}`,
      hint: 'set HUB_SECRET (at least 32 characters, e.g. `openssl rand -base64 32`) and keep it with your other secrets',
    });
  }

  const previous = config.previousHubSecrets.length;
  checks.push(
    previous > 0
      ? {
          name: 'hub_secret_previous',
          status: 'warn',
          detail: `HUB_SECRET_PREVIOUS holds ${previous} retired secret(s), still accepted for decryption`,
          hint: 'run `npx partner-hub secrets reencrypt`, then remove HUB_SECRET_PREVIOUS',
        }
      : {
          name: 'hub_secret_previous',
          status: 'ok',
          detail: 'no retired secrets (HUB_SECRET_PREVIOUS unset)',
        },
  );
  return checks;
}

async function databaseCheck(client: pg.Client, databaseUrl: string, timeoutMs: number): Promise<Check> {
  const where = describeDatabase(databaseUrl);
  const started = Date.now();
  try {
    await bounded(`connecting to ${where}`, timeoutMs, () => client.connect());
    const { rows } = await bounded('the database', timeoutMs, () =>
      client.query<{ version: string }>(`select current_setting('server_version') as version`),
    );
    return {
      name: 'database',
      status: 'ok',
      detail: `PostgreSQL ${rows[0]!.version} at ${where} answered in ${Date.now() - started} ms`,
    };
  } catch (err) {
    return {
      name: 'database',
      status: 'fail',
      detail: `${where} is not reachable: ${oneLine(err)}`,
      hint: 'check DATABASE_URL (host, port, credentials) and that PostgreSQL runs and accepts connections from here',
    };
  }
}

async function migrationsCheck(client: pg.Client, databaseUrl: string, timeoutMs: number): Promise<Check> {
  const hint = 'run `npx partner-hub migrate` (before starting the new version)';
  let orm: MikroORM | undefined;
  let gaveUp = false;
  try {
    const opening = createOrm(databaseUrl, { poolMax: 1 });
    // An ORM that opens only after the timeout is closed when it does.
    opening.then(
      (late) => {
        if (gaveUp) void late.close(true).catch(() => {});
      },
      () => {},
    );
    orm = await bounded('opening the schema', timeoutMs, () => opening).catch((err: unknown) => {
      gaveUp = true;
      throw err;
    });
    const opened = orm;
    const pending = await bounded('listing migrations', timeoutMs, () => pendingMigrations(opened));
    const { rows } = await client.query<{ present: boolean }>(
      `select to_regclass('graphile_worker._private_jobs') is not null as present`,
    );
    if (pending.length > 0) {
      const shown = pending.slice(0, 3).join(', ') + (pending.length > 3 ? ', …' : '');
      return { name: 'migrations', status: 'fail', detail: `${pending.length} pending: ${shown}`, hint };
    }
    if (!rows[0]!.present) {
      return { name: 'migrations', status: 'fail', detail: "graphile-worker's schema is missing", hint };
    }
    return { name: 'migrations', status: 'ok', detail: 'the schema is current' };
  } catch (err) {
    return {
      name: 'migrations',
      status: 'fail',
      detail: `could not read the migrations: ${oneLine(err)}`,
      hint: 'check that DATABASE_URL names the hub database and its user may read it',
    };
  } finally {
    const opened = orm;
    if (opened) await bounded('closing the schema', 1000, () => opened.close(true)).catch(() => {});
  }
}

async function workerCheck(client: pg.Client, config: HubConfig, timeoutMs: number): Promise<Check> {
  const hint = 'start a worker (`npx partner-hub worker`, or the server with WORKER_ENABLED=true)';
  const deadAfterSeconds = config.worker.deadAfterMs / 1000;
  // A due job nobody picked up for this long means no worker is taking work.
  const waitingTooLongSeconds = Math.max(60, 3 * deadAfterSeconds);
  try {
    const { rows } = await bounded('the worker tables', timeoutMs, () =>
      client.query<{
        alive: number;
        processes: string | null;
        running: number;
        orphaned: number;
        due: number;
        oldest_due_seconds: number | null;
      }>(
        `with live as (
           select pool_id, process from worker_heartbeats where seen_at > now() - make_interval(secs => $1)
         )
         select (select count(*)::int from live) as alive,
                (select string_agg(distinct process, ', ') from live) as processes,
                count(*) filter (where j.locked_at is not null)::int as running,
                count(*) filter (where j.locked_at is not null
                                   and j.locked_by not in (select pool_id from live))::int as orphaned,
                count(*) filter (where j.locked_at is null and j.attempts < j.max_attempts
                                   and j.run_at <= now())::int as due,
                extract(epoch from now() - min(j.run_at) filter (
                  where j.locked_at is null and j.attempts < j.max_attempts and j.run_at <= now()
                ))::float8 as oldest_due_seconds
           from graphile_worker.jobs j`,
        [deadAfterSeconds],
      ),
    );
    const r = rows[0]!;
    const oldest = Math.round(r.oldest_due_seconds ?? 0);
    const stuck = r.due > 0 && oldest > waitingTooLongSeconds;
    const orphaned = r.orphaned > 0 ? `; ${r.orphaned} job(s) held by pools that stopped checking in` : '';
    if (r.alive === 0) {
      return stuck
        ? {
            name: 'worker',
            status: 'fail',
            detail: `no worker pool alive: ${r.due} due job(s) waiting, the oldest for ${oldest} s${orphaned}`,
            hint,
          }
        : {
            name: 'worker',
            status: 'warn',
            detail: `no worker pool checked in within ${deadAfterSeconds} s (${r.due} job(s) due)${orphaned}`,
            hint,
          };
    }
    const pools = `${r.alive} worker pool(s) alive (${r.processes})`;
    if (stuck) {
      return {
        name: 'worker',
        status: 'warn',
        detail: `${pools}, but ${r.due} due job(s) waiting, the oldest for ${oldest} s${orphaned}`,
        hint: 'the workers fall behind: start more of them or raise WORKER_CONCURRENCY',
      };
    }
    return {
      name: 'worker',
      status: 'ok',
      detail: `${pools}; ${r.running} job(s) running, ${r.due} due${orphaned}`,
    };
  } catch (err) {
    return {
      name: 'worker',
      status: 'fail',
      detail: `could not read the worker tables: ${oneLine(err)}`,
      hint,
    };
  }
}

async function metaCheck(config: HubConfig, timeoutMs: number): Promise<Check> {
  if (config.meta.mode === 'sandbox') {
    return {
      name: 'meta',
      status: 'ok',
      detail: 'sandbox mode on: Graph calls go to the built-in emulator, nothing reaches Meta',
    };
  }
  // Production calls are signed with the app's own secret; HUB_SECRET only derives the
  // verify token, which this call does not use.
  const graph = new GraphClient(resolveMetaApp(config, config.hubSecret ?? 'unused-by-the-doctor'), {
    timeoutMs,
    retryDelaysMs: [],
  });
  const origin = config.meta.graphUrl ?? 'https://graph.facebook.com';
  const started = Date.now();
  try {
    const app = await bounded(`Graph at ${origin}`, timeoutMs, () => graph.appInfo());
    return {
      name: 'meta',
      status: 'ok',
      detail: `Graph at ${origin} answered in ${Date.now() - started} ms for app ${app.id}${app.name ? ` (${app.name})` : ''}`,
    };
  } catch (err) {
    const answered = err instanceof GraphError && err.status !== null;
    const code = err instanceof GraphError && err.code !== undefined ? ` (code ${err.code})` : '';
    return {
      name: 'meta',
      status: 'fail',
      detail: answered
        ? `Graph at ${origin} refused the app: ${oneLine(err)}${code}`
        : `Graph at ${origin} is not reachable: ${oneLine(err)}`,
      hint: answered
        ? 'check META_APP_ID and META_APP_SECRET against the Meta app dashboard'
        : 'check that this host reaches graph.facebook.com over https (proxy, firewall, DNS; META_GRAPH_URL)',
    };
  } finally {
    await bounded('closing the Graph client', 1000, () => graph.close()).catch(() => {});
  }
}

async function destinationsCheck(
  client: pg.Client,
  timeoutMs: number,
): Promise<{ check: Check; listed: FailingDestination[] }> {
  try {
    const { rows } = await bounded('webhook_destinations', timeoutMs, () =>
      client.query<{
        id: string;
        partner_id: string;
        kind: string;
        url: string | null;
        failing_since: Date | null;
        consecutive_failures: number;
        disabled_at: Date | null;
        disabled_reason: string | null;
        total: number;
        disabled: number;
      }>(
        `select id, partner_id, kind, url, failing_since, consecutive_failures, disabled_at, disabled_reason,
                count(*) over ()::int as total,
                count(*) filter (where disabled_at is not null) over ()::int as disabled
           from webhook_destinations
          where disabled_at is not null or failing_since is not null
          order by disabled_at is null, coalesce(disabled_at, failing_since), id
          limit $1`,
        [MAX_LISTED_DESTINATIONS],
      ),
    );
    const listed = rows.map(
      (r): FailingDestination => ({
        id: r.id,
        partner_id: r.partner_id,
        kind: r.kind,
        host: hostOf(r.url),
        state: r.disabled_at ? 'disabled' : 'failing',
        failing_since: r.failing_since?.toISOString() ?? null,
        consecutive_failures: r.consecutive_failures,
        disabled_at: r.disabled_at?.toISOString() ?? null,
        disabled_reason: r.disabled_reason,
      }),
    );
    const total = rows[0]?.total ?? 0;
    if (total === 0) {
      return {
        check: { name: 'webhook_destinations', status: 'ok', detail: 'no failing or disabled destinations' },
        listed,
      };
    }
    const disabled = rows[0]!.disabled;
    const shown = total > listed.length ? ` (the first ${listed.length} listed)` : '';
    return {
      check: {
        name: 'webhook_destinations',
        status: 'warn',
        detail: `${disabled} disabled, ${total - disabled} failing${shown}`,
        hint: 'the partner fixes its endpoint; a disabled one is then re-enabled (POST …/webhook_endpoints/{id}/enable, or a new webhook_url)',
      },
      listed,
    };
  } catch (err) {
    return {
      check: {
        name: 'webhook_destinations',
        status: 'fail',
        detail: `could not read webhook_destinations: ${oneLine(err)}`,
      },
      listed: [],
    };
  }
}

/** Races `fn` against a timer; whatever `fn` does later is ignored (and its rejection handled). */
async function bounded<T>(what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** host:port/database, never the credentials. */
function describeDatabase(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.host}${url.pathname}`;
  } catch {
    return 'the database';
  }
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}

function oneLine(err: unknown): string {
  // Connecting to `localhost` may fail on both addresses at once: an AggregateError without a message.
  const first = err instanceof AggregateError && err.errors[0] instanceof Error ? err.errors[0] : err;
  const message = first instanceof Error ? first.message || first.name : String(first);
  return message.split('\n')[0]!;
}
