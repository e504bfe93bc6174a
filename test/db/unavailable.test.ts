import net from 'node:net';
import { DriverException } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { migrate } from '../../server/db/migrate.ts';
import { createOrm } from '../../server/db/orm.ts';
import { isDatabaseUnavailable, unavailableReason } from '../../server/db/unavailable.ts';
import { AppError } from '../../server/errors.ts';
import { spendBudget } from '../../server/http/budgets.ts';
import { RateLimits } from '../../server/modules/rate-limits/rate-limits.ts';

/** What a promise rejects with (the test fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** A loopback port nothing listens on: bound, noted, released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('isDatabaseUnavailable, on real errors', () => {
  let downUrl: string;
  let orm: MikroORM;
  // Accepts TCP connections and never answers: connecting hangs, as on a partitioned network.
  const silent = net.createServer(() => {});
  let silentUrl: string;

  beforeAll(async () => {
    downUrl = `postgres://postgres@127.0.0.1:${await closedPort()}/partner_hub`;
    orm = await createOrm(inject('adminDatabaseUrl'), { poolMax: 1 });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `postgres://postgres@127.0.0.1:${(silent.address() as net.AddressInfo).port}/x`;
  });

  afterAll(async () => {
    await orm?.close(true);
    silent.close();
  });

  it('recognises every way an unreachable port reaches us: pg client, pg pool, MikroORM, migrations', async () => {
    const client = new pg.Client({ connectionString: downUrl });
    const pool = new pg.Pool({ connectionString: downUrl });
    const downOrm = await createOrm(downUrl, { poolMax: 1 });
    try {
      const errors = {
        client: await rejection(client.connect()),
        pool: await rejection(pool.query('select 1')),
        ormEntityManager: await rejection(downOrm.em.fork().execute('select 1')),
        migrations: await rejection(migrate(downOrm, downUrl)),
      };
      // MikroORM wraps what goes through the entity manager; the rest arrives raw from pg.
      expect(errors.ormEntityManager).toBeInstanceOf(DriverException);
      for (const [via, err] of Object.entries(errors)) {
        expect(isDatabaseUnavailable(err), via).toBe(true);
        expect(unavailableReason(err), via).toMatch(/ECONNREFUSED/);
      }
    } finally {
      await pool.end();
      await downOrm.close(true);
    }
  });

  it('recognises pg-pool connection timeouts against a server that never answers', async () => {
    const pool = new pg.Pool({ connectionString: silentUrl, connectionTimeoutMillis: 200, max: 1 });
    try {
      const timedOut = await rejection(pool.query('select 1'));
      expect((timedOut as Error).message).toBe('Connection terminated due to connection timeout');
      expect(isDatabaseUnavailable(timedOut)).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('recognises the rate limiter failing on its store, so it is never mistaken for a spent budget', async () => {
    const pool = new pg.Pool({ connectionString: downUrl });
    try {
      const limits = new RateLimits(pool, { readPerMinute: 10, writePerMinute: 10, revealPerHour: 10 });
      const err = await rejection(spendBudget(limits, 'ptok_x', 'read', () => {}));
      expect(err).not.toBeInstanceOf(AppError);
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('recognises a backend terminated mid-query (a restart or failover), and the dead session after it', async () => {
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    const victim = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await Promise.all([admin.connect(), victim.connect()]);
    victim.on('error', () => {});
    try {
      const [{ pid }] = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows as [
        { pid: number },
      ];
      const running = rejection(victim.query('select pg_sleep(30)'));
      // The terminate must land while the query runs: wait until the server shows it running.
      await waitForActive(admin, pid);
      await admin.query('select pg_terminate_backend($1)', [pid]);
      const terminated = await running;
      expect((terminated as { code?: string }).code).toBe('57P01');
      expect(isDatabaseUnavailable(terminated)).toBe(true);
      expect(isDatabaseUnavailable(await rejection(victim.query('select 1')))).toBe(true);
    } finally {
      await admin.end();
      await victim.end().catch(() => {});
    }
  });

  it('recognises the same through MikroORM, which converts it to a DriverException', async () => {
    // Its own ORM: a session killed mid-query can be handed out once more before its socket closes.
    const victim = await createOrm(inject('adminDatabaseUrl'), { poolMax: 1 });
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    try {
      const [{ pid }] = (await victim.em.fork().execute('select pg_backend_pid() as pid')) as [
        { pid: number },
      ];
      const running = rejection(victim.em.fork().execute('select pg_sleep(30)'));
      await waitForActive(admin, pid);
      await admin.query('select pg_terminate_backend($1)', [pid]);
      const terminated = await running;
      expect(terminated).toBeInstanceOf(DriverException);
      expect(isDatabaseUnavailable(terminated)).toBe(true);
      expect(unavailableReason(terminated)).toMatch(/terminating connection/);
    } finally {
      await admin.end();
      await victim.close(true);
    }
  });

  it('does not treat real errors about the request or the setup as an outage', async () => {
    const em = orm.em.fork();
    await em.execute('create temp table if not exists unavailable_probe (id int primary key)');
    const unique = await rejection(em.execute('insert into unavailable_probe values (1), (1)'));
    const syntax = await rejection(em.execute('selec 1'));
    const missingDatabase = await rejection(
      new pg.Client({
        connectionString: `${inject('adminDatabaseUrl').replace(/\/[^/]*$/, '')}/no_such_db`,
      }).connect(),
    );
    const zod = z.object({ a: z.string() }).safeParse({}).error;
    // A NUL byte in a parameter: the server refuses the message itself (08P01, in the connection class).
    const nul = await rejection(em.execute('select ?::text', ['a\u0000b']));
    expect((nul as { code?: string }).code).toBe('08P01');
    expect((unique as { code?: string }).code).toBe('23505');
    expect((syntax as { code?: string }).code).toBe('42601');
    expect((missingDatabase as { code?: string }).code).toBe('3D000');
    for (const err of [
      unique,
      syntax,
      missingDatabase,
      nul,
      zod,
      new AppError('not_found', 'x'),
      new Error('boom'),
    ]) {
      expect(isDatabaseUnavailable(err), String(err)).toBe(false);
    }
    for (const value of [undefined, null, 'ECONNREFUSED', 42, {}])
      expect(isDatabaseUnavailable(value)).toBe(false);
  });
});

describe('isDatabaseUnavailable, on shapes that are hard to provoke', () => {
  it.each([
    ['57P03 cannot_connect_now (starting up, in recovery)', { code: '57P03' }],
    ['57P02 crash_shutdown', { code: '57P02' }],
    ['53300 too_many_connections', { code: '53300' }],
    ['class 08: connection_failure', { code: '08006' }],
    ['class 08 in MikroORM’s sqlState', { sqlState: '08001' }],
    ['a connection error wrapped as a cause', new Error('query failed', { cause: { code: 'ECONNRESET' } })],
    ['any link of a cause chain', new Error('a', { cause: new Error('b', { cause: { code: 'EPIPE' } }) })],
    [
      'AggregateError of a dual-stack connect',
      new AggregateError([{ code: 'ECONNREFUSED' }, { code: 'EHOSTUNREACH' }]),
    ],
    ['pg-pool waiting for a free client', new Error('timeout exceeded when trying to connect')],
  ])('%s', (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['28P01 invalid_password', { code: '28P01' }],
    ['3D000 invalid_catalog_name', { code: '3D000' }],
    ['ENOTFOUND (a mistyped host)', { code: 'ENOTFOUND' }],
  ])('not %s', (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('terminates on a cyclic cause chain', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});

/** Bounded: the query shows up in pg_stat_activity within milliseconds. */
async function waitForActive(admin: pg.Client, pid: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const { rows } = await admin.query("select 1 from pg_stat_activity where pid = $1 and state = 'active'", [
      pid,
    ]);
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`backend ${pid} never became active`);
}
