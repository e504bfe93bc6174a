import { spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { describe, expect, inject, it } from 'vitest';
import { adminQuery } from '../support/admin.ts';
import { cpuPerRequest, postgresCpuMs, processCpuMs } from './process-cpu.ts';

describe.runIf(os.platform() === 'linux')('the benches’ CPU per request (procfs)', () => {
  it('reads a child’s CPU time, which grows while it works and not while it sleeps', async () => {
    // The child burns 500 ms of its own CPU (as it counts it), says so, then sleeps: however
    // loaded the machine, procfs must show at least that, and no more while it sleeps.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `while (process.cpuUsage().user + process.cpuUsage().system < 500_000);
         process.stdout.write('burnt'); setTimeout(() => {}, 60_000)`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      await once(child.stdout!, 'data');
      const { result, usPerRequest } = await cpuPerRequest(
        { child: child.pid, gone: 2 ** 22 + 1 },
        () => new Promise<number>((r) => setTimeout(() => r(4), 300)),
        (n) => n,
      );
      expect(result).toBe(4);
      expect(usPerRequest.child).toBeLessThan(20_000);
      expect(usPerRequest.gone).toBeNull();
      expect(processCpuMs(child.pid)).toBeGreaterThanOrEqual(490);
    } finally {
      child.kill();
      await once(child, 'exit');
    }
  });

  const adminUrl = inject('adminDatabaseUrl');
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(adminUrl).hostname);
  it.runIf(local)('counts what a statement costs the PostgreSQL server on this machine', async () => {
    // A statement that keeps its backend busy for a few hundred ms of CPU (the count is computed,
    // not read); the backend exits when the connection closes, so its time is found through the
    // postmaster's reaped children as well.
    const { usPerRequest } = await cpuPerRequest(
      { postgres: postgresCpuMs },
      () => adminQuery(adminUrl, 'select count(*) from generate_series(1, 4000000)'),
      () => 1,
    );
    expect(usPerRequest.postgres).toBeGreaterThanOrEqual(100_000);
  });
});
