import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, databaseUrlFor } from '../support/admin.ts';
import { freePort } from '../support/free-port.ts';
import { TEST_HUB_SECRET } from '../support/hub.ts';
import { ROOT } from '../support/processes.ts';
import { sendText } from '../support/waba.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const run = promisify(execFile);

/** One instruction of the Dockerfile, as this test performs it. */
interface Instruction {
  stage: string;
  op: string;
  args: string;
}

function instructionsOf(dockerfile: string): Instruction[] {
  let stage = '';
  const out: Instruction[] = [];
  for (const raw of dockerfile.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (!op || args === undefined) throw new Error(`cannot read Dockerfile line: ${line}`);
    if (op === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? args;
    out.push({ stage, op, args });
  }
  return out;
}

/** `.dockerignore` as the build context filter: top-level names and `prefix/*`-free paths. */
async function ignored(): Promise<(relative: string) => boolean> {
  const patterns = (await fs.readFile(path.join(ROOT, '.dockerignore'), 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const matchers = patterns.map(
    (p) => new RegExp(`^${p.replaceAll('.', '\\.').replaceAll('*', '[^/]*')}(/|$)`),
  );
  return (relative) => matchers.some((m) => m.test(relative));
}

/**
 * Performs the Dockerfile outside a container: each stage is a directory standing for its
 * WORKDIR (`/app`), COPY copies from the build context (minus `.dockerignore`) or another stage,
 * RUN runs in the stage's directory. The base image's Node 24 is the one running this test.
 */
async function performDockerfile(
  scratch: string,
): Promise<{ app: string; env: Record<string, string>; cmd: string[] }> {
  const instructions = instructionsOf(await fs.readFile(path.join(ROOT, 'Dockerfile'), 'utf8'));
  const isIgnored = await ignored();
  const dirs = new Map<string, string>();
  const env: Record<string, string> = {};
  let cmd: string[] = [];
  const nodeBin = path.dirname(process.execPath);
  for (const { stage, op, args } of instructions) {
    const dir = dirs.get(stage) ?? path.join(scratch, stage);
    dirs.set(stage, dir);
    await fs.mkdir(dir, { recursive: true });
    if (op === 'COPY') {
      const from = /^--from=(\S+)\s+/.exec(args);
      const parts = args.replace(/^--from=\S+\s+/, '').split(/\s+/);
      const dest = path.join(dir, parts.pop()!);
      for (const src of parts) {
        const source = from
          ? path.join(dirs.get(from[1]!)!, path.relative('/app', src))
          : path.join(ROOT, src);
        const target =
          dest.endsWith(path.sep) || parts.length > 1 ? path.join(dest, path.basename(src)) : dest;
        await fs.cp(source, target, {
          recursive: true,
          filter: (file) => from !== null || !isIgnored(path.relative(ROOT, file)),
        });
      }
    } else if (op === 'RUN') {
      // `chown` to the image's user has no meaning here; everything else runs as written.
      const script = args.replace(/&&\s*chown\s+\S+\s+\S+/, '').replaceAll('/app/', `${dir}/`);
      await run('sh', ['-c', script], {
        cwd: dir,
        env: { ...process.env, PATH: `${nodeBin}:${process.env.PATH}`, npm_config_update_notifier: 'false' },
        timeout: 240_000,
      });
    } else if (op === 'ENV') {
      for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g))
        env[k!] = v!.replace('/app/', `${dirs.get(stage)}/`);
    } else if (op === 'CMD') {
      cmd = JSON.parse(args) as string[];
    }
  }
  return { app: dirs.get('runtime')!, env, cmd };
}

describe('the container image, built and run outside a container', () => {
  let scratch: string;
  // An empty database, as a new deployment starts with (not the run's migrated template).
  const adminUrl = inject('adminDatabaseUrl');
  const dbName = `hub_image_${randomBytes(6).toString('hex')}`;
  const db = { url: databaseUrlFor(adminUrl, dbName) };
  let receiver: WebhookReceiver;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-image-'));
    await adminQuery(adminUrl, `create database ${dbName}`);
    receiver = await WebhookReceiver.start();
  }, 60_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await receiver?.close();
    await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`);
    await fs.rm(scratch, { recursive: true, force: true });
  });

  it('production dependencies only; migrate, then an API-only and a worker-only process onboard, mint a key, send and deliver', async () => {
    const image = await performDockerfile(scratch);
    const { app } = image;
    // No devDependency made it in: no test runner, no browser driver, no Node from npm. (TypeScript
    // itself comes in as a peer of tRPC and graphile-worker's config loader; nothing runs it.)
    for (const dev of ['vitest', '@biomejs/biome', 'node', 'supertest', 'playwright-core'])
      await expect(fs.stat(path.join(app, 'node_modules', dev))).rejects.toThrow();
    expect(image.cmd).toEqual(['node', 'server/cli/main.ts', 'serve']);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      PATH: process.env.PATH ?? '',
      ...image.env,
      PORT: String(port),
      PUBLIC_URL: url,
      DATABASE_URL: db.url,
      HUB_SECRET: TEST_HUB_SECRET,
      META_MODE: 'sandbox',
      ALLOW_LOCALHOST_URLS: 'true',
      LOG_LEVEL: 'warn',
    };
    const cli = (...args: string[]) =>
      run(process.execPath, ['server/cli/main.ts', ...args], { cwd: app, env, timeout: 60_000 });
    const start = (args: string[], extra: Record<string, string>) => {
      const child = spawn(process.execPath, args, { cwd: app, env: { ...env, ...extra } });
      children.push(child);
      let output = '';
      child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
      return { child, output: () => output };
    };

    // A fresh database in production mode: `serve` refuses until migrations are applied on purpose.
    const early = start(image.cmd.slice(1), { WORKER_ENABLED: 'false' });
    const [code] = await Promise.race([
      once(early.child, 'exit'),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`serve did not refuse:\n${early.output()}`)), 60_000),
      ),
    ]);
    expect(code).toBe(1);
    expect(early.output()).toMatch(/pending migration\(s\) and MIGRATE_ON_START is off/);
    await cli('migrate');

    const api = start(image.cmd.slice(1), { WORKER_ENABLED: 'false' });
    const worker = start(['server/cli/main.ts', 'worker'], {});
    await expect
      .poll(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status, { timeout: 60_000 })
      .toBeDefined();
    // The image's HEALTHCHECK passes against the API process.
    await run(process.execPath, ['server/cli/healthcheck.ts'], { cwd: app, env });
    // The console was built into the image (by `npm ci`'s prepare step) and is served from it.
    const consolePage = await (await fetch(`${url}/console`)).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(consolePage)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${url}${script}`)).status).toBe(200);

    const partner = JSON.parse(
      (
        await cli(
          'partners',
          'create',
          '--name',
          'Image SaaS',
          '--webhook-url',
          `${receiver.url}/hooks`,
          '--json',
        )
      ).stdout,
    ) as { id: string; token: string };
    const onboarded = JSON.parse(
      (await cli('sandbox', 'onboard', '--partner', partner.id, '--json')).stdout,
    ) as {
      channel_id: string;
    };
    const auth = { authorization: `Bearer ${partner.token}`, 'content-type': 'application/json' };
    const key = (await (
      await fetch(`${url}/api/v2/partners/${partner.id}/channels/${onboarded.channel_id}/api_keys`, {
        method: 'POST',
        headers: auth,
        body: '{}',
      })
    ).json()) as { api_key: string; address: string };
    expect(key.address).toBe(`${url}/waba`);
    const sent = await sendText(key.address, key.api_key);
    expect(sent.status).toBe(200);
    expect(((await sent.json()) as { messages: { id: string }[] }).messages[0]!.id).toMatch(/^wamid\./);

    // Lifecycle events reach the partner through the worker-only process (the API runs none).
    const types = () => receiver.requests.map((r) => (JSON.parse(r.rawBody) as { type: string }).type);
    await expect
      .poll(types, { timeout: 30_000, message: `worker:\n${worker.output()}` })
      .toEqual(expect.arrayContaining(['client.created', 'channel.created', 'permission.granted']));
    expect(api.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
  }, 420_000);
});
