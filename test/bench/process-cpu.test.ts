import { spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { cpuPerRequest, processCpuMs } from './process-cpu.ts';

describe.runIf(os.platform() === 'linux')('the benches’ CPU per request (procfs)', () => {
  it('reads a child’s CPU time, which grows while it works and not while it sleeps', async () => {
    // A busy second, then a sleep: the reading after the sleep equals the one before it.
    const child = spawn(
      process.execPath,
      ['-e', 'const end = Date.now() + 1000; while (Date.now() < end); setTimeout(() => {}, 60_000)'],
      { stdio: 'ignore' },
    );
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const { result, usPerRequest } = await cpuPerRequest(
        { child: child.pid, gone: 2 ** 22 + 1 },
        () => new Promise<number>((r) => setTimeout(() => r(4), 300)),
        (n) => n,
      );
      expect(result).toBe(4);
      expect(usPerRequest.child).toBeLessThan(20_000);
      expect(usPerRequest.gone).toBeNull();
      expect(processCpuMs(child.pid)).toBeGreaterThanOrEqual(800);
    } finally {
      child.kill();
      await once(child, 'exit');
    }
  });
});
