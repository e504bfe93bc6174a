import { watch } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { acquireEmbeddedPostgres } from '../../server/db/embedded-postgres.ts';
import { withPasswordFile } from '../../server/db/password-file.ts';

const dirs: string[] = [];
const tempDir = async (prefix: string) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

describe('embedded PostgreSQL secrets and logs', () => {
  it('hands initdb the password in a 0600 file in the data dir, removed afterwards', async () => {
    const dir = await tempDir('hub-pwfile-');
    const seen = await withPasswordFile(dir, 'pw', undefined, async (file) => ({
      file,
      mode: (await fs.stat(file)).mode & 0o777,
      content: await fs.readFile(file, 'utf8'),
    }));
    expect(path.dirname(seen.file)).toBe(dir);
    expect(seen.mode).toBe(0o600);
    expect(seen.content).toBe('pw\n');
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('first init writes no password file to the temp dir, and the server logs no failing statements', async () => {
    const dataDir = await tempDir('hub-embedded-init-');
    // os.tmpdir() follows TMPDIR: a dir of our own, watched, shows what init creates there.
    const spyTmp = await tempDir('hub-tmp-');
    await fs.chmod(spyTmp, 0o1777); // like /tmp: initdb may run as the `postgres` user
    const created: string[] = [];
    const watcher = watch(spyTmp, (_event, name) => {
      if (name) created.push(name);
    });
    vi.stubEnv('TMPDIR', spyTmp);
    let embedded: Awaited<ReturnType<typeof acquireEmbeddedPostgres>> | undefined;
    try {
      embedded = await acquireEmbeddedPostgres(dataDir);
    } finally {
      vi.unstubAllEnvs();
    }
    try {
      // A file of our own, seen by the watcher, proves every earlier event was delivered.
      const seenSentinel = new Promise<void>((resolve) => {
        watcher.on('change', (_e, name) => name === 'sentinel' && resolve());
      });
      await fs.writeFile(path.join(spyTmp, 'sentinel'), '');
      await seenSentinel;
      watcher.close();
      expect(created.filter((name) => name.startsWith('pg-password'))).toEqual([]);
      expect((await fs.readdir(dataDir)).filter((name) => name.includes('pwfile'))).toEqual([]);

      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      try {
        const { rows } = await client.query('show log_min_error_statement');
        expect(rows[0].log_min_error_statement).toBe('panic');
      } finally {
        await client.end();
      }
    } finally {
      watcher.close();
      await embedded.release();
    }
  }, 120_000);
});
