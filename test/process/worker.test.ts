import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { adminQuery, databaseUrlFor } from '../support/admin.ts';
import { enqueue } from '../support/enqueue.ts';
import { idempotencyKeyFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { ROOT, runCli } from '../support/processes.ts';

const hub = useTestHub();

describe('separate processes', () => {
  it('`hub worker` runs jobs enqueued by another process and stops cleanly on SIGTERM', async () => {
    const em = hub.em();
    const { partner } = await partnerFactory(em, hub.deps);
    const expired = await idempotencyKeyFactory(em, partner, { expiresAt: new Date(Date.now() - 1000) });
    await hub.em().transactional((tx) => enqueue(tx, hub.clock, 'prune_expired', {}));

    const worker = spawn(process.execPath, ['server/cli/main.ts', 'worker'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: hub.databaseUrl,
        HUB_SECRET: hub.deps.config.hubSecret!,
        LOG_LEVEL: 'warn',
      },
    });
    const exited = once(worker, 'exit');
    try {
      // Another process does the work, so the only way to see it is to look; bounded by a deadline.
      const deadline = Date.now() + 15_000;
      const remaining = async () =>
        (
          await query<{ n: number }>(
            hub.em(),
            'select count(*)::int as n from idempotency_keys where id = ?',
            [expired.id],
          )
        )[0]!.n;
      while ((await remaining()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await remaining()).toBe(0);
    } finally {
      worker.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('`hub migrate` brings an empty database up to date, and says so on the second run', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const name = `hub_migrate_${randomBytes(4).toString('hex')}`;
    await adminQuery(adminUrl, `create database ${name}`);
    try {
      const env = { DATABASE_URL: databaseUrlFor(adminUrl, name) };
      const first = await runCli(['migrate'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/^Applied Migration\d+_initial/);
      const second = await runCli(['migrate'], env);
      expect(second.stdout.trim()).toBe('The database is up to date.');
      const list = await runCli(['partners', 'list', '--json'], env);
      expect(list.stdout.trim()).toBe('[]');
    } finally {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    }
  });

  it('refuses to work on a database with pending migrations, pointing at `hub migrate`', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const name = `hub_pending_${randomBytes(4).toString('hex')}`;
    await adminQuery(adminUrl, `create database ${name}`);
    try {
      const res = await runCli(['partners', 'list'], { DATABASE_URL: databaseUrlFor(adminUrl, name) });
      expect(res.code).toBe(1);
      expect(res.stderr.trim()).toMatch(
        /^error: the database has \d+ pending migration\(s\); run `npx partner-hub migrate` first$/,
      );
    } finally {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    }
  });

  it('is installed as the `partner-hub` bin', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['server/cli/bin.js', '--help'], {
      cwd: ROOT,
    });
    expect(stdout).toContain('Usage: partner-hub');
    expect(stdout).toMatch(/partners\s+manage partners/);
  });
});
