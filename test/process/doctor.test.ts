import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cliConfig } from '../../server/cli/context.ts';
import { type DoctorReport, runDoctor } from '../../server/cli/doctor/doctor.ts';
import { run } from '../../server/db/sql.ts';
import { adminQuery, databaseUrlFor } from '../support/admin.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { childEnv, runCli } from '../support/processes.ts';

const hub = useTestHub();

/**
 * What `doctor --json` reports for a CLI started with `env`, with its exit code: the command's
 * own function in this process, with the environment a spawned CLI would see (a spawn costs
 * ~3 s here; the tests that spawn one check the command's output and exit code).
 */
async function doctor(env: Record<string, string>, options: { timeoutMs?: number } = {}) {
  const started = Date.now();
  const report = await runDoctor({
    loadConfig: () => cliConfig({}, childEnv(env)),
    timeoutMs: options.timeoutMs ?? 5000,
  });
  const status = Object.fromEntries(report.checks.map((c) => [c.name, c.status]));
  return { code: report.ok ? 0 : 1, report, status, ms: Date.now() - started };
}

describe('partner-hub doctor', () => {
  let env: Record<string, string>;
  beforeAll(() => {
    env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: hub.deps.config.hubSecret! };
  });

  const beat = () =>
    run(
      hub.em(),
      `insert into worker_heartbeats (pool_id, process, started_at, seen_at) values (?, 'test:1', now(), now())
       on conflict (pool_id) do update set seen_at = now()`,
      ['doctor-test-pool'],
    );

  it('reports a healthy hub as ok, every check ok, in the documented JSON shape', async () => {
    await beat();
    const { code, report } = await doctor(env);
    expect(code).toBe(0);
    expect(Object.keys(report).sort()).toEqual(['checks', 'failing_destinations', 'ok']);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'config',
      'public_url',
      'sandbox_exposure',
      'hub_secret',
      'hub_secret_previous',
      'database',
      'migrations',
      'worker',
      'meta',
      'webhook_destinations',
    ]);
    for (const check of report.checks) {
      expect(check, check.name).toEqual({ name: check.name, status: 'ok', detail: expect.any(String) });
    }
    expect(report.checks.find((c) => c.name === 'worker')!.detail).toMatch(
      /^1 worker pool\(s\) alive \(test:1\)/,
    );
    expect(report.checks.find((c) => c.name === 'meta')!.detail).toMatch(/^sandbox mode on/);
    expect(report.failing_destinations).toEqual([]);
  });

  it('prints one line per check, then the verdict, by default', async () => {
    await beat();
    const res = await runCli(['doctor'], env);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ok {4}config {16}parses: NODE_ENV=development, META_MODE=sandbox/);
    expect(lines.slice(0, 10).every((l) => /^(ok|warn|fail)\s+\w+\s+\S/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('All checks passed.');
  });

  it('warns about retired secrets and a HUB_SECRET generated outside development, with hints', async () => {
    await beat();
    const { code, report } = await doctor({
      DATABASE_URL: hub.databaseUrl,
      NODE_ENV: 'test',
      HUB_SECRET_PREVIOUS: 'an-old-secret-an-old-secret-an-old-secret',
    });
    expect(code).toBe(0);
    expect(report.checks.find((c) => c.name === 'hub_secret')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('NODE_ENV=test uses the one generated in'),
      hint: expect.stringContaining('set HUB_SECRET'),
    });
    expect(report.checks.find((c) => c.name === 'hub_secret_previous')).toMatchObject({
      status: 'warn',
      hint: 'run `npx partner-hub secrets reencrypt`, then remove HUB_SECRET_PREVIOUS',
    });
  });

  it('in production: warns about an exposed sandbox, and fails a plain-http PUBLIC_URL', async () => {
    await beat();
    const production = { ...env, NODE_ENV: 'production', META_MODE: 'sandbox' };
    const exposed = await doctor({ ...production, PUBLIC_URL: 'https://hub.example' });
    expect(exposed.code).toBe(0);
    expect(exposed.status).toMatchObject({ config: 'ok', public_url: 'ok', sandbox_exposure: 'warn' });
    expect(exposed.report.checks.find((c) => c.name === 'sandbox_exposure')).toMatchObject({
      detail: 'META_MODE=sandbox in production: /sandbox and /demo answer without authentication',
      hint: expect.stringContaining('META_APP_ID'),
    });

    const plain = await doctor({ ...production, PUBLIC_URL: 'http://hub.example' });
    expect(plain.code).toBe(1);
    expect(plain.report.checks).toEqual([
      {
        name: 'config',
        status: 'fail',
        detail:
          'Invalid configuration: PUBLIC_URL must be an https:// URL (or a loopback http:// one) when NODE_ENV=production (got "http://hub.example")',
        hint: expect.any(String),
      },
    ]);
  });

  it('lists failing and disabled destinations with their partner and url host, never the path', async () => {
    await beat();
    const em = hub.em();
    const failing = await partnerFactory(em, hub.deps, 'Failing SaaS', {
      webhookUrl: 'https://failing.example/hooks?token=s3cret',
    });
    const disabled = await partnerFactory(em, hub.deps, 'Gone SaaS', {
      webhookUrl: 'https://gone.example:8443/hooks',
    });
    await run(
      em,
      `update webhook_destinations set failing_since = now() - interval '1 hour', consecutive_failures = 7
        where partner_id = ?`,
      [failing.partner.id],
    );
    await run(
      em,
      `update webhook_destinations set failing_since = now() - interval '6 days', consecutive_failures = 40,
              disabled_at = now(), disabled_reason = 'the endpoint answered 410 Gone'
        where partner_id = ?`,
      [disabled.partner.id],
    );

    const { code, report } = await doctor(env);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.name === 'webhook_destinations')).toMatchObject({
      status: 'warn',
      detail: '1 disabled, 1 failing',
      hint: expect.any(String),
    });
    expect(report.failing_destinations).toEqual([
      {
        id: expect.any(String),
        partner_id: disabled.partner.id,
        kind: 'partner_webhook',
        host: 'gone.example:8443',
        state: 'disabled',
        failing_since: expect.any(String),
        consecutive_failures: 40,
        disabled_at: expect.any(String),
        disabled_reason: 'the endpoint answered 410 Gone',
      },
      {
        id: expect.any(String),
        partner_id: failing.partner.id,
        kind: 'partner_webhook',
        host: 'failing.example',
        state: 'failing',
        failing_since: expect.any(String),
        consecutive_failures: 7,
        disabled_at: null,
        disabled_reason: null,
      },
    ]);

    const readable = await runCli(['doctor'], env);
    expect(readable.stdout).toContain('Failing and disabled webhook destinations:');
    expect(readable.stdout).toMatch(
      new RegExp(`partner ${disabled.partner.id}\\s+partner_webhook\\s+gone\\.example:8443\\s+disabled `),
    );
    expect(readable.stdout).toMatch(
      new RegExp(`partner ${failing.partner.id}\\s+partner_webhook\\s+failing\\.example\\s+failing since`),
    );
    expect(readable.stdout).not.toContain('s3cret');
    await run(
      em,
      'update webhook_destinations set failing_since = null, disabled_at = null, disabled_reason = null',
    );
  });

  it('fails the worker check when no pool is alive and due jobs wait too long', async () => {
    const em = hub.em();
    await run(em, 'delete from worker_heartbeats');
    const quiet = await doctor(env);
    expect(quiet.code).toBe(0);
    expect(quiet.report.checks.find((c) => c.name === 'worker')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^no worker pool checked in within 20 s/),
      hint: expect.stringContaining('npx partner-hub worker'),
    });

    await run(
      em,
      `select graphile_worker.add_job('doctor_test', '{}'::json, run_at => now() - interval '5 minutes')`,
    );
    try {
      const stuck = await doctor(env);
      expect(stuck.code).toBe(1);
      expect(stuck.report.ok).toBe(false);
      expect(stuck.report.checks.find((c) => c.name === 'worker')).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(
          /^no worker pool alive: 1 due job\(s\) waiting, the oldest for 3\d\d s/,
        ),
      });
    } finally {
      await run(
        em,
        `delete from graphile_worker._private_jobs where task_id in
        (select id from graphile_worker._private_tasks where identifier = 'doctor_test')`,
      );
    }
  });

  it('fails fast, exit 1, when the database refuses connections', async () => {
    const { code, report, status, ms } = await doctor({ DATABASE_URL: 'postgres://hub:pw@127.0.0.1:1/hub' });
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(status).toMatchObject({
      config: 'ok',
      database: 'fail',
      migrations: 'warn',
      worker: 'warn',
      meta: 'ok',
      webhook_destinations: 'warn',
    });
    const database = report.checks.find((c) => c.name === 'database')!;
    expect(database.detail).toMatch(/^127\.0\.0\.1:1\/hub is not reachable: connect ECONNREFUSED/);
    expect(database.detail).not.toContain('pw');
    expect(ms).toBeLessThan(20_000);
  });

  describe('a database that accepts connections and never answers', () => {
    let server: net.Server;
    let port: number;
    const sockets: net.Socket[] = [];
    beforeAll(async () => {
      server = net.createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('is reported within --timeout instead of hanging, and the command exits', async () => {
      // A real CLI: the socket still connecting must not keep the process alive.
      const started = Date.now();
      const res = await runCli(['doctor', '--json', '--timeout', '500'], {
        DATABASE_URL: `postgres://hub:pw@127.0.0.1:${port}/hub`,
      });
      const ms = Date.now() - started;
      expect(res.stdout.trim().split('\n'), res.stderr).toHaveLength(1);
      const report = JSON.parse(res.stdout) as DoctorReport;
      expect(res.code).toBe(1);
      expect(report.checks.find((c) => c.name === 'database')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('did not answer within 500 ms'),
      });
      expect(ms).toBeLessThan(20_000);
    });
  });

  it('fails on pending migrations, pointing at `migrate`', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const name = `hub_doctor_${randomBytes(4).toString('hex')}`;
    await adminQuery(adminUrl, `create database ${name}`);
    try {
      const { code, report, status } = await doctor({ DATABASE_URL: databaseUrlFor(adminUrl, name) });
      expect(code).toBe(1);
      expect(status).toMatchObject({ database: 'ok', migrations: 'fail', worker: 'warn' });
      expect(report.checks.find((c) => c.name === 'migrations')).toMatchObject({
        detail: expect.stringMatching(/^\d+ pending: Migration\d+_initial/),
        hint: expect.stringContaining('npx partner-hub migrate'),
      });
    } finally {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    }
  });

  it('reports an unparsable configuration as the one failing check', async () => {
    const res = await runCli(['doctor', '--json'], { ...env, PORT: 'eighty' });
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toEqual({
      ok: false,
      checks: [
        {
          name: 'config',
          status: 'fail',
          detail: 'Invalid configuration: PORT must be a port number (got "eighty")',
          hint: expect.any(String),
        },
      ],
      failing_destinations: [],
    });
  });

  describe('with META_MODE=production', () => {
    let graph: http.Server;
    let graphUrl: string;
    const seen: string[] = [];
    beforeAll(async () => {
      graph = http.createServer((req, res) => {
        seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
        res.setHeader('content-type', 'application/json');
        if (req.headers.authorization === 'Bearer 123456|right-secret') {
          res.end(JSON.stringify({ id: '123456', name: 'Hub Test App' }));
        } else {
          res.statusCode = 400;
          res.end(JSON.stringify({ error: { message: 'Invalid OAuth access token.', code: 190 } }));
        }
      });
      await new Promise<void>((resolve) => graph.listen(0, '127.0.0.1', resolve));
      graphUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => graph.close(resolve)));

    const metaEnv = (secret: string) => ({
      ...env,
      META_APP_ID: '123456',
      META_APP_SECRET: secret,
      META_CONFIG_ID: '7890',
      META_GRAPH_URL: graphUrl,
    });

    it('checks that Graph answers for the app, with one cheap call', async () => {
      await beat();
      const { code, report } = await doctor(metaEnv('right-secret'));
      expect(code).toBe(0);
      expect(report.checks.find((c) => c.name === 'meta')).toMatchObject({
        status: 'ok',
        detail: expect.stringMatching(
          new RegExp(`^Graph at ${graphUrl} answered in \\d+ ms for app 123456 \\(Hub Test App\\)$`),
        ),
      });
      expect(seen.at(-1)).toBe('GET /v23.0/123456?fields=id%2Cname Bearer 123456|right-secret');
    });

    it('fails when Graph refuses the app credentials', async () => {
      const { code, report } = await doctor(metaEnv('wrong-secret'));
      expect(code).toBe(1);
      expect(report.checks.find((c) => c.name === 'meta')).toMatchObject({
        status: 'fail',
        detail: `Graph at ${graphUrl} refused the app: Invalid OAuth access token. (code 190)`,
        hint: expect.stringContaining('META_APP_SECRET'),
      });
    });

    it('fails within the timeout when Graph is not reachable', async () => {
      const { code, report } = await doctor({
        ...metaEnv('right-secret'),
        META_GRAPH_URL: 'http://127.0.0.1:1',
      });
      expect(code).toBe(1);
      expect(report.checks.find((c) => c.name === 'meta')).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/^Graph at http:\/\/127\.0\.0\.1:1 is not reachable: /),
      });
    });
  });
});
