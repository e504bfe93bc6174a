import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

const parallelWorkers = async (execute: (sql: string) => Promise<unknown[]>) =>
  (
    (await execute('show max_parallel_workers_per_gather')) as { max_parallel_workers_per_gather: string }[]
  )[0]!.max_parallel_workers_per_gather;

describe("the hub's database sessions", () => {
  it('plan without parallel workers, in and out of transactions, on every pooled connection', async () => {
    const plain = new pg.Client({ connectionString: hub.databaseUrl });
    await plain.connect();
    try {
      // The server's default, so the hub's 0 is its own doing.
      expect(await parallelWorkers(async (sql) => (await plain.query(sql)).rows)).not.toBe('0');
    } finally {
      await plain.end();
    }
    // Five at once: the pool opens several connections, each set before its first query.
    const seen = await Promise.all(
      Array.from({ length: 5 }, () => parallelWorkers((sql) => hub.orm.em.fork().execute(sql))),
    );
    expect(seen).toEqual(['0', '0', '0', '0', '0']);
    const inTx = await hub.orm.em.fork().transactional((tx) => parallelWorkers((sql) => tx.execute(sql)));
    expect(inTx).toBe('0');
  });

  it('keep the setting on the connections that replace ones the server dropped (a restart, a failover)', async () => {
    const admin = new pg.Client({ connectionString: hub.databaseUrl });
    await admin.connect();
    try {
      const killed = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and application_name = 'partner-hub'`,
      );
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // The first query may still meet a dead connection; every answer after that is from a new one.
    await expect
      .poll(() => parallelWorkers((sql) => hub.orm.em.fork().execute(sql)).catch(() => 'dead'), {
        timeout: 5_000,
      })
      .toBe('0');
    const seen = await Promise.all(
      Array.from({ length: 5 }, () => parallelWorkers((sql) => hub.orm.em.fork().execute(sql))),
    );
    expect(seen).toEqual(['0', '0', '0', '0', '0']);
  });
});
