import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubProcess, isProcessAlive, runCli, startHub } from '../support/processes.ts';

/** The live postmaster's pid for a data dir, or undefined when none runs. */
async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const content = await fs
    .readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')
    .catch(() => undefined);
  const pid = Number(content?.split('\n')[0]);
  return pid && isProcessAlive(pid) ? pid : undefined;
}

/**
 * `npm start` with no DATABASE_URL, exactly as a new user runs it: embedded PostgreSQL
 * is initialised, migrated and served; the CLI joins it; SIGTERM leaves nothing behind.
 */
describe('embedded PostgreSQL lifecycle', () => {
  let dataDir: string;
  let hub: HubProcess;
  let env: Record<string, string>;
  let partner: { id: string; token: string; webhook_secret: string };

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-embedded-'));
    env = { HUB_DATA_DIR: dataDir };
    hub = await startHub(env);
  }, 120_000);

  afterAll(async () => {
    await hub?.stop('SIGKILL');
    const pid = dataDir && (await postmasterPid(dataDir));
    if (pid) process.kill(pid, 'SIGINT');
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('starts from nothing and reports ready', async () => {
    const res = await fetch(`${hub.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', worker: 'ok' },
    });
    expect(hub.output()).toContain('mode       Meta sandbox');
    expect(hub.output()).toContain(`embedded PostgreSQL (${dataDir}/pg`);
    console.info(`cold start (initdb + start + migrations + listen): ${hub.bootMs} ms`);
  });

  it('keeps its generated secrets private in the data dir', async () => {
    for (const file of ['hub-secret', 'pg-password']) {
      const stat = await fs.stat(path.join(dataDir, file));
      expect(stat.mode & 0o777, file).toBe(0o600);
    }
  });

  it('lets the CLI join the running database, and the token it prints authenticates REST and tRPC', async () => {
    const pidBefore = await postmasterPid(dataDir);
    const res = await runCli(['partners', 'create', '--name', 'Embedded Co', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    partner = JSON.parse(res.stdout);
    expect(await postmasterPid(dataDir)).toBe(pidBefore);

    const rest = await fetch(`${hub.url}/api/v2/partners/${partner.id}`, {
      headers: { Authorization: `Bearer ${partner.token}` },
    });
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { name: string }).name).toBe('Embedded Co');
    const trpc = await fetch(`${hub.url}/trpc/partner.me`, { headers: { 'X-API-Key': partner.token } });
    expect(trpc.status).toBe(200);
    expect(((await trpc.json()) as { result: { data: { id: string } } }).result.data.id).toBe(partner.id);
  });

  it('shuts down cleanly on SIGTERM, forwarded twice as supervisors do, with a keep-alive connection open', async () => {
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      http.get(`${hub.url}/livez`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
    const pid = await postmasterPid(dataDir);
    expect(pid).toBeDefined();
    const started = Date.now();
    // npm and `node --watch` forward the terminal's signal, so the hub often gets two at once.
    hub.child.kill('SIGTERM');
    expect(await hub.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(hub.output()).toContain('partner hub stopped');
    expect(await postmasterPid(dataDir)).toBeUndefined();
    agent.destroy();
  });

  it('runs the CLI with no server up: it starts PostgreSQL for itself and stops it again', async () => {
    const res = await runCli(['partners', 'list', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).map((p: { id: string }) => p.id)).toEqual([partner.id]);
    expect(await postmasterPid(dataDir)).toBeUndefined();
  });

  it('never lets two processes start two servers on one data directory', async () => {
    const results = await Promise.all([
      runCli(['partners', 'list', '--json'], env),
      runCli(['partners', 'list', '--json'], env),
      runCli(['partners', 'list', '--json'], env),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(await postmasterPid(dataDir)).toBeUndefined();
  });
});
