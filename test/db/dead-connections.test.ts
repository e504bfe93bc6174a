import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm } from '../../server/db/orm.ts';
import { query } from '../../server/db/sql.ts';
import { usePrivatePostgres } from '../support/private-postgres.ts';

/**
 * Kysely leaves a transaction's connection checked out when its `commit` or `rollback` fails,
 * which a database restart does to every transaction in flight (kysely-org/kysely#1990). With
 * two connections in the pool, two such leaks used to leave every later query waiting for ever.
 */
describe('connections that die inside a transaction', () => {
  const pg = usePrivatePostgres({ migrate: false });
  let orm: Awaited<ReturnType<typeof createOrm>>;
  beforeAll(async () => {
    orm = await createOrm(pg.url, { poolMax: 2 });
  });
  afterAll(() => orm?.close(true));

  it('go back to the pool, so the ORM works again after restarts', async () => {
    let stop = false;
    const busy = (async () => {
      while (!stop) {
        await orm.em
          .fork()
          .transactional(async (tx) => {
            await query(tx, 'select pg_sleep(0.02)');
            await query(tx, 'select 1');
          })
          .catch(() => {});
      }
    })();
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 300));
      await pg.restart();
    }
    stop = true;
    await busy;
    const answer = await Promise.race([
      query<{ ok: number }>(orm.em.fork(), 'select 1 as ok'),
      new Promise<never>((_r, reject) =>
        setTimeout(() => reject(new Error('the pool is exhausted')), 10_000),
      ),
    ]);
    expect(answer).toEqual([{ ok: 1 }]);
  });
});
