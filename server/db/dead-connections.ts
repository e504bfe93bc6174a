import type pg from 'pg';

/** Long enough for whoever holds a connection to release it after a failed query. */
const GRACE_MS = 1000;

/**
 * Hands connections that died while checked out back to the pool, which discards them.
 *
 * Kysely (under MikroORM) never releases the connection of a transaction whose `begin`,
 * `commit` or `rollback` fails, and that is what a database restart does to every transaction
 * in flight (kysely-org/kysely#1990): each one leaked a pool slot, and after a few restarts
 * every query waited for ever.
 * A connection still checked out a second after its socket closed is one of those.
 */
export function releaseDeadConnections(pool: pg.Pool): void {
  const checkedOut = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_err: Error | undefined, client: pg.PoolClient) => checkedOut.delete(client));
  pool.on('remove', (client) => checkedOut.delete(client as pg.PoolClient));
  pool.on('connect', (client) => {
    client.once('end', () => {
      setTimeout(() => {
        const held = client as pg.PoolClient;
        if (!checkedOut.delete(held)) return;
        held.release(new Error('the database connection was lost while checked out'));
      }, GRACE_MS).unref();
    });
  });
}
