import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestHub } from '../support/hub.ts';
import { childEnv, ROOT, runCli } from '../support/processes.ts';

const hub = useTestHub();

describe('operator CLI', () => {
  let env: Record<string, string>;
  beforeAll(() => {
    env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: hub.deps.config.hubSecret! };
  });

  it('the documented way, `npx partner-hub … --json`, leaves only the JSON on stdout (pipeable into jq)', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      ['--no-install', 'partner-hub', 'partners', 'create', '--name', 'Piped SaaS', '--json'],
      { cwd: ROOT, env: childEnv(env), timeout: 60_000 },
    );
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ id: expect.stringMatching(/^ptn_/) });
  });

  it('partners create --json prints exactly one JSON object whose token works', async () => {
    const res = await runCli(
      ['partners', 'create', '--name', 'CLI SaaS', '--webhook-url', 'https://cli.example/hooks', '--json'],
      env,
    );
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toHaveLength(1);
    const created = JSON.parse(res.stdout);
    expect(Object.keys(created).sort()).toEqual(['id', 'token', 'webhook_secret']);
    expect(created.id).toMatch(/^ptn_/);
    expect(created.token).toMatch(/^hubp_[0-9A-Za-z]{36}$/);
    expect(created.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const me = await request(hub.app)
      .get(`/api/v2/partners/${created.id}`)
      .set('Authorization', `Bearer ${created.token}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: 'CLI SaaS', webhook_url: 'https://cli.example/hooks' });
  });

  it('prints readable output by default and lists partners', async () => {
    const created = await runCli(['partners', 'create', '--name', 'Readable SaaS'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created partner ptn_\w+ \(Readable SaaS\)/);
    expect(created.stdout).toContain('shown only this once');

    const table = await runCli(['partners', 'list'], env);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+WEBHOOK URL\s+CREATED/);
    expect(table.stdout).toContain('Readable SaaS');
    const json = JSON.parse((await runCli(['partners', 'list', '--json'], env)).stdout);
    expect(json.map((p: { name: string }) => p.name)).toContain('Readable SaaS');
  });

  it('partners token rotate issues a new token and keeps the old one for the grace window', async () => {
    const created = JSON.parse(
      (await runCli(['partners', 'create', '--name', 'Rotating', '--json'], env)).stdout,
    );
    const rotated = await runCli(['partners', 'token', 'rotate', created.id, '--json'], env);
    expect(rotated.code).toBe(0);
    const body = JSON.parse(rotated.stdout);
    expect(body).toMatchObject({ id: created.id, token: expect.stringMatching(/^hubp_/) });
    expect(Date.parse(body.previous_tokens_expire_at) - Date.now()).toBeGreaterThan(23 * 3600_000);
    for (const token of [created.token, body.token]) {
      const res = await request(hub.app).get('/trpc/partner.me').set('X-API-Key', token);
      expect(res.status).toBe(200);
    }
  });

  it.each([
    [['partners', 'create'], "error: required option '--name <name>' not specified"],
    [['partners', 'create', '--name', ' '], 'error: name must be 1 to 200 characters'],
    [
      ['partners', 'create', '--name', 'X', '--webhook-url', 'not a url'],
      'error: webhook_url must be an absolute URL',
    ],
    [
      ['partners', 'create', '--name', 'X', '--redirect-url', 'ftp://x.example'],
      'error: redirect_url must use https (or http to localhost)',
    ],
    [
      ['partners', 'create', '--name', 'X', '--webhook-url', 'http://partner.example/hooks'],
      'error: webhook_url must use https (or http to localhost)',
    ],
    [['partners', 'token', 'rotate', 'ptn_missing'], 'error: No partner ptn_missing'],
    [
      ['partners', 'token', 'rotate', 'ptn_x', '--grace-seconds', 'soon'],
      'error: --grace-seconds must be a whole number of seconds (got "soon")',
    ],
    [['clients', 'suspend', 'cli_missing'], 'error: No client cli_missing'],
    [['bogus'], "error: unknown command 'bogus'"],
  ])('rejects %j with a one-line error and a non-zero exit', async (args, message) => {
    const res = await runCli(args, env);
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim()).toBe(message);
  });

  it('rejects bad configuration in one line', async () => {
    const res = await runCli(['partners', 'list'], { ...env, PORT: 'eighty' });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe('error: Invalid configuration: PORT must be a port number (got "eighty")');
  });
});
