import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { TEST_HUB_SECRET } from '../support/hub.ts';
import { type HubProcess, isProcessAlive, spawnHub } from '../support/processes.ts';

/** Every process below `pid` (npm → node, possibly through a shell). */
function descendantsOf(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits 1 when there is none.
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

const alive = isProcessAlive;

describe('`npm start` and signals', () => {
  let db: TestDatabase;
  let hub: HubProcess | undefined;
  let spawned: number[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const pid of spawned) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await db?.drop();
  });

  it('a SIGTERM to npm stops the hub too: it never outlives the command that started it', async () => {
    hub = await spawnHub(
      { DATABASE_URL: db.url, HUB_SECRET: TEST_HUB_SECRET, META_MODE: 'sandbox', WORKER_ENABLED: 'false' },
      { through: 'npm' },
    ).started;
    spawned = descendantsOf(hub.child.pid!);
    expect((await fetch(`${hub.url}/livez`)).status).toBe(200);
    expect(spawned.length).toBeGreaterThan(0);

    hub.child.kill('SIGTERM');
    const deadline = Date.now() + 15_000;
    while (spawned.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(spawned.filter(alive)).toEqual([]);
    await expect(fetch(`${hub.url}/livez`)).rejects.toThrow();
  });
});
