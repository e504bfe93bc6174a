import type pg from 'pg';

/**
 * Run on every connection the hub's pool opens, before its first query. The hub's queries are
 * short and indexed; PostgreSQL still plans some list pages (a rare status over a partner's
 * channels) with a parallel worker, and starting one cost ~20 ms on a 2-core machine where the
 * query itself took 2–3 ms (docs/benchmarks.md, `lists`). A SET rather than a startup `options`
 * parameter, which a transaction-pooling PgBouncer refuses.
 */
const SESSION_SETTINGS = 'SET max_parallel_workers_per_gather = 0';

export function applySessionSettings(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    // Queued ahead of whatever the acquirer sends; a connection that fails it fails that too.
    client.query(SESSION_SETTINGS).catch(() => {});
  });
}
