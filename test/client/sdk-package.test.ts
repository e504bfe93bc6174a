import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelFactory, clientFactory, partnerFactory, permissionFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = path.join(root, 'node_modules/.bin/tsc');

/** What a partner writes: list channels, handle an error code, verify a webhook. */
const SAMPLE = `import { createPartnerHubClient, errorCodeOf, type HubEvent, verifyWebhook } from '@partner-hub/client';

const hub = createPartnerHubClient({ baseUrl: process.env.HUB_URL ?? '', token: process.env.HUB_TOKEN ?? '' });
const { channels } = await hub.rest.api.channels.list({ limit: 5 });
const viaTrpc = await hub.trpc.channels.list.query({ limit: 5 });
console.log(\`channels \${channels.map((c) => c.phone_number).join(',')} \${viaTrpc.channels.length}\`);
try {
  await hub.rest.channels.get('chn_00000000000000000000000000');
} catch (err) {
  console.log(\`error \${errorCodeOf(err)}\`);
}
const headers: Record<string, string> = JSON.parse(process.env.WEBHOOK_HEADERS ?? '{}');
const event: HubEvent = verifyWebhook(process.env.WEBHOOK_SECRET ?? '', process.env.WEBHOOK_BODY ?? '', headers);
if (event.type === 'ping') console.log(\`webhook \${event.data.message}\`);
`;

/** Misuses that the package's types must refuse: they are real types, not \`any\`. */
const MISUSE = `import { createPartnerHubClient } from '@partner-hub/client';

const hub = createPartnerHubClient({ baseUrl: 'http://hub.invalid', token: 't' });
await hub.rest.api.channels.get({});
const me = await hub.trpc.partner.me.query();
export const n: number = me.name;
`;

/** A page of the partner's using the connect button entry (type-checked only: it needs a browser). */
const BROWSER = `import type { PermissionsResult } from '@partner-hub/client';
import { openPermissions, PermissionsPopupError } from '@partner-hub/client/connect';

export async function connect(): Promise<string[]> {
  try {
    const result: PermissionsResult = await openPermissions({
      hubUrl: 'https://hub.example.com',
      partnerId: 'ptn_1',
      params: { redirect_url: 'https://app.example/callback', state: 's' },
    });
    return result.channels;
  } catch (err) {
    if (err instanceof PermissionsPopupError && err.reason === 'blocked') return [];
    throw err;
  }
}
`;

/** Every module specifier a shipped file names: `from '…'`, `import '…'`, `import('…')`. */
function specifiers(text: string): string[] {
  const found = text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g);
  return [...found].map((m) => m[2]!);
}

/**
 * `npm pack` of client/, installed into an empty project the way a partner installs it, then
 * type-checked with the tsconfig \`tsc --init\` writes (plus Node's types, and library checks
 * on) and run against a hub.
 */
describe('client/: the published package', () => {
  const hub = useTestHub({}, { listen: true });
  let project: string;
  let token: string;
  let phoneNumber: string;

  beforeAll(async () => {
    project = mkdtempSync(path.join(os.tmpdir(), 'hub-sdk-package-'));
    execFileSync('npm', ['pack', '--pack-destination', project], {
      cwd: path.join(root, 'client'),
      stdio: 'pipe',
    });
    const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'sample', private: true, type: 'module' }),
    );
    // Only what the tarball declares, and Node's types for the sample's `process`.
    execFileSync(
      'npm',
      ['install', `./${tarball}`, '@types/node@24', '--prefer-offline', '--no-audit', '--no-fund'],
      { cwd: project, stdio: 'pipe' },
    );
    execFileSync(tsc, ['--init'], { cwd: project, stdio: 'pipe' });
    const config = readFileSync(path.join(project, 'tsconfig.json'), 'utf8');
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      config
        .replace('"types": []', '"types": ["node"]')
        .replace('"skipLibCheck": true', '"skipLibCheck": false'),
    );
    writeFileSync(path.join(project, 'sample.ts'), SAMPLE);
    writeFileSync(path.join(project, 'browser.ts'), BROWSER);

    const created = await partnerFactory(hub.em(), hub.deps, 'Package SaaS');
    token = created.token;
    const client = await clientFactory(hub.em(), created.partner);
    const channel = await channelFactory(hub.em(), client);
    await permissionFactory(hub.em(), created.partner, channel);
    phoneNumber = channel.phoneNumber;
  }, 180_000);

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('declares every dependency and ships no source of the server', () => {
    const installed = path.join(project, 'node_modules/@partner-hub/client');
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      '@trpc/client',
      '@trpc/server',
      'standardwebhooks',
      'zod',
    ]);
    const files = readdirSync(path.join(installed, 'dist'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'contract.d.ts', 'connect.mjs']));
    // Every entry point the exports name is in the tarball.
    for (const target of Object.values(manifest.exports).flatMap((e) =>
      typeof e === 'string' ? [e] : Object.values(e as Record<string, string>),
    ))
      expect(readdirSync(path.join(installed, path.dirname(target))), target).toContain(
        path.basename(target),
      );
    // What the shipped files import is either shipped too or a declared dependency: nothing of
    // the server's source tree, no `.ts` specifier, no undeclared package.
    const declared = new Set(Object.keys(manifest.dependencies));
    for (const file of files) {
      const text = readFileSync(path.join(installed, 'dist', file), 'utf8');
      expect(text, file).not.toMatch(/(\.\.\/)+(server|shared)\//);
      for (const spec of specifiers(text)) {
        if (spec.startsWith('.')) {
          expect(spec, `${file} imports ${spec}`).toMatch(/^\.\/[\w-]+\.js$/);
          expect(files, `${file} imports ${spec}`).toContain(spec.slice(2).replace(/\.js$/, '.d.ts'));
          expect(files, `${file} imports ${spec}`).toContain(spec.slice(2));
        } else {
          const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          expect(declared.has(name), `${file} imports ${spec}, not a declared dependency`).toBe(true);
        }
      }
    }
  });

  it('type-checks a sample with the default strict tsconfig, and refuses misuse', () => {
    const ok = spawnSync(tsc, ['--noEmit', '-p', '.'], { cwd: project, encoding: 'utf8' });
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.status).toBe(0);

    writeFileSync(path.join(project, 'misuse.ts'), MISUSE);
    const bad = spawnSync(tsc, ['--noEmit', '-p', '.'], { cwd: project, encoding: 'utf8' });
    rmSync(path.join(project, 'misuse.ts'));
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain("misuse.ts(4,33): error TS2741: Property 'channel_id' is missing");
    expect(bad.stdout).toContain(
      "misuse.ts(6,14): error TS2322: Type 'string' is not assignable to type 'number'",
    );
  });

  it('type-checks as well installed as a link to client/ (npm install ../client), with no special flags', () => {
    const linked = mkdtempSync(path.join(os.tmpdir(), 'hub-sdk-linked-'));
    try {
      writeFileSync(
        path.join(linked, 'package.json'),
        JSON.stringify({ name: 'linked-sample', private: true, type: 'module' }),
      );
      execFileSync(
        'npm',
        [
          'install',
          path.join(root, 'client'),
          '@types/node@24',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
        ],
        { cwd: linked, stdio: 'pipe' },
      );
      expect(lstatSync(path.join(linked, 'node_modules/@partner-hub/client')).isSymbolicLink()).toBe(true);
      for (const file of ['tsconfig.json', 'sample.ts', 'browser.ts'])
        writeFileSync(path.join(linked, file), readFileSync(path.join(project, file)));
      const ok = spawnSync(tsc, ['--noEmit', '-p', '.'], { cwd: linked, encoding: 'utf8' });
      expect(ok.stdout + ok.stderr).toBe('');
      expect(ok.status).toBe(0);
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });

  it('loads from CommonJS too (require of the ES module: the exports have a default condition)', () => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        "const c = require('@partner-hub/client'); const b = require('@partner-hub/client/connect'); console.log(typeof c.createPartnerHubClient, typeof b.openPermissions)",
      ],
      { cwd: project, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function function');
  });

  it('runs against a hub: lists channels, reads an error code, verifies a webhook', async () => {
    const secret = `whsec_${Buffer.from('package-test-secret-0123456789ab').toString('base64')}`;
    const body = JSON.stringify({
      type: 'ping',
      timestamp: new Date().toISOString(),
      data: { message: 'hello' },
    });
    const at = new Date();
    const signature = new Webhook(secret.slice('whsec_'.length)).sign('msg_1', at, body);
    // Asynchronously: the hub answering it runs in this process.
    const run = await promisify(execFile)(process.execPath, ['sample.ts'], {
      cwd: project,
      timeout: 30_000,
      env: {
        PATH: process.env.PATH,
        HUB_URL: hub.url,
        HUB_TOKEN: token,
        WEBHOOK_SECRET: secret,
        WEBHOOK_BODY: body,
        WEBHOOK_HEADERS: JSON.stringify({
          'webhook-id': 'msg_1',
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signature,
        }),
      },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual([
      `channels ${phoneNumber} 1`,
      'error not_found',
      'webhook hello',
    ]);
  });
});
