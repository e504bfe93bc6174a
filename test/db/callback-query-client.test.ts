import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackQueryClient } from '../../server/db/callback-query-client.ts';
import { createOrm } from '../../server/db/orm.ts';
import { query } from '../../server/db/sql.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub();

describe('the pool client that answers promises through pg’s callback form', () => {
  let client: CallbackQueryClient;

  beforeAll(async () => {
    client = new CallbackQueryClient({ connectionString: hub.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  it('is the client of the ORM’s pool, so every ORM query goes through it', async () => {
    let pool: pg.Pool | undefined;
    const orm = await createOrm(hub.databaseUrl, {
      poolMax: 1,
      onPoolCreated: (created) => {
        pool = created;
      },
    });
    try {
      // The ORM's queries work through it, parameters included.
      expect(await query(orm.em.fork(), 'select ?::int + 1 as n', [41])).toEqual([{ n: 42 }]);
      const held = await pool!.connect();
      try {
        expect(held).toBeInstanceOf(CallbackQueryClient);
      } finally {
        held.release();
      }
    } finally {
      await orm.close();
    }
  });

  it('resolves a promise-form query with pg’s result, with or without values', async () => {
    const plain = await client.query('select 1 as one');
    expect([plain.command, plain.rowCount, plain.rows]).toEqual(['SELECT', 1, [{ one: 1 }]]);
    const withValues = await client.query({ text: 'select $1::text as v', values: ['x'], rowMode: 'array' });
    expect(withValues.rows).toEqual([['x']]);
  });

  it('rejects with pg’s error, its stack leading back to the caller', async () => {
    const failure = await client.query('select * from no_such_table').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(pg.DatabaseError);
    expect((failure as pg.DatabaseError).code).toBe('42P01');
    expect((failure as Error).stack).toContain('callback-query-client.test.ts');
  });

  it('leaves the callback form as pg has it', async () => {
    const rows = await new Promise((resolve, reject) => {
      const returned = client.query('select 2 as two', (err, res) => (err ? reject(err) : resolve(res.rows)));
      expect(returned).toBeUndefined();
    });
    expect(rows).toEqual([{ two: 2 }]);
  });
});
