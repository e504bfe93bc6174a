import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Loads what a hub, a worker and the CLI load at start, in a fresh Node process, and lists the
 * heavy packages it resolved on the way. Baileys (~0.5 s of CPU) is for linked devices in
 * production mode and loads on their first connection; swagger-ui's 1.5 MB bundle is for the
 * browser. Every process start, and every CLI command, would pay for them otherwise.
 */
const PROBE = `
import { registerHooks } from 'node:module';
const heavy = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    const match = /node_modules\\/(baileys|swagger-ui-dist\\/swagger-ui-bundle)/.exec(resolved.url);
    if (match) heavy.add(match[1]);
    return resolved;
  },
});
for (const file of ['server/app.ts', 'server/jobs/worker.ts', 'server/process/serve.ts', 'server/cli/commands/processes.ts', 'server/linked-devices/runner/start.ts'])
  await import(new URL(file, 'file://${ROOT}/').href);
process.stdout.write(JSON.stringify([...heavy]));
`;

describe('what a process loads at start', () => {
  it('leaves Baileys and the API docs UI bundle unloaded until they are used', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', PROBE], {
      cwd: ROOT,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual([]);
  }, 60_000);
});
