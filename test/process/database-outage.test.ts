import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/env.ts';
import { generateToken, TOKEN_PREFIXES } from '../../server/crypto/tokens.ts';
import { DATABASE_RETRY_AFTER_SECONDS } from '../../server/errors.ts';
import { resolveMetaApp } from '../../server/meta/meta-app.ts';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import { freePort } from '../support/free-port.ts';
import { usePrivatePostgres } from '../support/private-postgres.ts';
import { type BootingHub, childEnv, type HubProcess, ROOT, runCli, spawnHub } from '../support/processes.ts';

const HUB_SECRET = 'outage-secret-outage-secret-outage!';
const pg = usePrivatePostgres();

/** Polls `condition` until it holds; fails after `ms`. */
async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const WAITING = /database unavailable; waiting for it/;

/**
 * The hub as deployed (a child process on DATABASE_URL) while PostgreSQL goes away and
 * comes back: requests get a retryable 503, never a 500, and boot waits instead of exiting.
 */
describe('when the database goes away', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let hub: HubProcess;
  let partner: { id: string; token: string };
  const booting: BootingHub[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-outage-'));
    env = {
      DATABASE_URL: pg.url,
      HUB_SECRET,
      HUB_DATA_DIR: dataDir,
      WORKER_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    };
    const first = spawnHub(env);
    booting.push(first);
    const [started, created] = await Promise.all([
      first.started,
      runCli(['partners', 'create', '--name', 'Outage Co', '--json'], env),
    ]);
    expect(created.code, created.stderr).toBe(0);
    hub = started;
    partner = JSON.parse(created.stdout);
  }, 120_000);

  afterAll(async () => {
    for (const b of booting) if (b.child.exitCode === null) b.child.kill('SIGKILL');
    await Promise.all(booting.map((b) => b.exited));
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** One request per edge: REST, tRPC, the messaging API on a channel key, Meta's webhook. */
  function requests(): Record<string, Promise<Response>> {
    const appSecret = resolveMetaApp(parseConfig({ HUB_SECRET, PUBLIC_URL: hub.url }), HUB_SECRET).appSecret;
    const metaBody = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
    return {
      rest: fetch(`${hub.url}/api/v2/partners/${partner.id}`, {
        headers: { Authorization: `Bearer ${partner.token}` },
      }),
      trpc: fetch(`${hub.url}/trpc/partner.me`, { headers: { 'X-API-Key': partner.token } }),
      // Well-formed (its checksum holds), so the hub must ask the database about it.
      waba: fetch(`${hub.url}/waba/messages`, {
        method: 'POST',
        headers: {
          'D360-API-KEY': generateToken(TOKEN_PREFIXES.channelApiKey),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          to: '4915112345678',
          type: 'text',
          text: { body: 'hi' },
        }),
      }),
      meta: fetch(`${hub.url}/meta/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signMetaBody(appSecret, metaBody),
        },
        body: metaBody,
      }),
    };
  }

  /** The hub's error code, from REST's `error.code` or tRPC's `error.data.error_code`; messages stay generic. */
  async function errorCode(res: Response): Promise<string | undefined> {
    const { error } = (await res.json()) as {
      error?: { code?: unknown; message?: string; data?: { error_code?: string } };
    };
    expect(error?.message).not.toMatch(/ECONN|127\.0\.0\.1|postgres|terminat/i);
    return error?.data?.error_code ?? (typeof error?.code === 'string' ? error.code : undefined);
  }

  it('answers 503 database_unavailable with Retry-After on every edge, and recovers without a restart', async () => {
    const pid = hub.child.pid;
    await pg.stop();

    const down = await Promise.all(
      Object.entries(requests()).map(async ([edge, res]) => [edge, await res] as const),
    );
    for (const [edge, res] of down) {
      expect(res.status, edge).toBe(503);
      expect(await errorCode(res), edge).toBe('database_unavailable');
      expect(res.headers.get('retry-after'), edge).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    }
    const ready = await fetch(`${hub.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { database: string } }).checks.database).toBe('error');
    expect((await fetch(`${hub.url}/livez`)).status).toBe(200);
    // Outages are warnings, not bugs.
    expect(hub.output()).not.toMatch(/unhandled|could not route/);

    await pg.start();

    const back = await Promise.all(
      Object.entries(requests()).map(async ([edge, res]) => [edge, await res] as const),
    );
    const statuses = Object.fromEntries(back.map(([edge, res]) => [edge, res.status]));
    // The channel key is unknown: once the database answers, that is a plain 401.
    expect(statuses).toEqual({ rest: 200, trpc: 200, waba: 401, meta: 200 });
    expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
    expect(hub.child.exitCode).toBeNull();
    expect(hub.child.pid).toBe(pid);
    expect(hub.output().match(/Partner Hub is up/g)).toHaveLength(1);
  });

  it('starts while the database is down: stays up (live, not ready), then serves once it is back', async () => {
    await pg.stop();
    const port = await freePort();
    const waiting = spawnHub({ ...env, PORT: String(port) });
    booting.push(waiting);
    await until('a "waiting for the database" line', () => WAITING.test(waiting.output()));
    expect(waiting.child.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);

    await pg.start();
    const started = await waiting.started;
    expect((await fetch(`${started.url}/readyz`)).status).toBe(200);
    expect(await started.stop()).toBe(0);
  });

  it('exits 0 at once on SIGTERM while waiting for the database: the hub, and `hub worker`', async () => {
    await pg.stop();
    const waiting = spawnHub(env);
    booting.push(waiting);
    const worker = spawn(process.execPath, ['server/cli/main.ts', 'worker'], {
      cwd: ROOT,
      env: childEnv(env),
    });
    let workerOutput = '';
    worker.stderr.on('data', (c: Buffer) => {
      workerOutput += c.toString();
    });
    const workerExited = once(worker, 'exit').then(([code]) => code as number | null);
    try {
      await until('the hub waiting for the database', () => WAITING.test(waiting.output()));
      await until('the worker waiting for the database', () => WAITING.test(workerOutput));
      const signalled = Date.now();
      waiting.child.kill('SIGTERM');
      worker.kill('SIGTERM');
      expect(await waiting.exited).toBe(0);
      expect(await workerExited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(3000);
    } finally {
      if (worker.exitCode === null) worker.kill('SIGKILL');
      await pg.start();
    }
  });

  it('fails fast, in one line and with exit code 1, when the database refuses for good', async () => {
    const url = new URL(pg.url);
    url.password = 'wrong';
    const refused = spawnHub({ ...env, DATABASE_URL: url.toString() });
    booting.push(refused);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr().trim()).toBe(
      'Partner Hub failed to start: password authentication failed for user "postgres"',
    );
    expect(refused.output()).not.toMatch(WAITING);
  });
});
