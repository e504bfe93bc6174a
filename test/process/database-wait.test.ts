import net from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  DATABASE_WAIT_ABORT_GRACE_MS,
  DATABASE_WAIT_FIRST_DELAY_MS,
  untilDatabaseAvailable,
} from '../../server/process/database-wait.ts';

function capturingLogger() {
  const lines: { level: number; msg: string; attempt?: number; reason?: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** A real "nothing listens there" error, as the first connection of a booting process gets it. */
async function refusedConnection(): Promise<unknown> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/x` }).connect().then(
    () => {
      throw new Error('expected ECONNREFUSED');
    },
    (err: unknown) => err,
  );
}

describe('untilDatabaseAvailable', () => {
  it('retries while the database is unavailable, one warning per attempt, then returns the result', async () => {
    const { logger, lines } = capturingLogger();
    const refused = await refusedConnection();
    let attempts = 0;
    const started = Date.now();
    const result = await untilDatabaseAvailable(
      async () => {
        attempts++;
        if (attempts === 1) throw refused;
        return 'open';
      },
      { logger },
    );
    expect(result).toBe('open');
    expect(attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(DATABASE_WAIT_FIRST_DELAY_MS - 10);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ attempt: 1, msg: 'database unavailable; waiting for it' });
    expect(warnings[0]!.reason).toMatch(/ECONNREFUSED/);
  });

  it('fails at once on anything else', async () => {
    const { logger } = capturingLogger();
    const badPassword = Object.assign(new Error('password authentication failed for user "postgres"'), {
      code: '28P01',
    });
    let attempts = 0;
    await expect(
      untilDatabaseAvailable(
        async () => {
          attempts++;
          throw badPassword;
        },
        { logger },
      ),
    ).rejects.toBe(badPassword);
    expect(attempts).toBe(1);
  });

  it('stops waiting as soon as it is aborted, between attempts', async () => {
    const { logger } = capturingLogger();
    const refused = await refusedConnection();
    const controller = new AbortController();
    const waiting = untilDatabaseAvailable(() => Promise.reject(refused), {
      logger,
      signal: controller.signal,
    });
    const reason = new Error('SIGTERM');
    setTimeout(() => controller.abort(reason), 50);
    const started = Date.now();
    await expect(waiting).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(DATABASE_WAIT_FIRST_DELAY_MS);
  });

  it('when aborted mid-attempt, lets the attempt finish briefly so what it opened is closed', async () => {
    const { logger } = capturingLogger();
    const controller = new AbortController();
    const discarded: string[] = [];
    const waiting = untilDatabaseAvailable(
      () => new Promise<string>((resolve) => setTimeout(() => resolve('runtime'), 50)),
      {
        logger,
        signal: controller.signal,
        discard: async (late) => {
          discarded.push(late);
        },
      },
    );
    controller.abort(new Error('SIGTERM'));
    await expect(waiting).rejects.toThrow('SIGTERM');
    expect(discarded).toEqual(['runtime']);
  });

  it('abandons an attempt that hangs (a connect on a dropped network) after a short grace', async () => {
    const { logger } = capturingLogger();
    const controller = new AbortController();
    const waiting = untilDatabaseAvailable(() => new Promise<never>(() => {}), {
      logger,
      signal: controller.signal,
    });
    const started = Date.now();
    controller.abort(new Error('SIGTERM'));
    await expect(waiting).rejects.toThrow('SIGTERM');
    expect(Date.now() - started).toBeLessThan(DATABASE_WAIT_ABORT_GRACE_MS + 500);
  });
});
