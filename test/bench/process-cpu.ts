import { readFileSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_S = 100; // USER_HZ: 100 on every Linux build Node supports

/**
 * CPU time (user + system, all threads) a process has used so far, in ms, from
 * `/proc/<pid>/stat`; null where there is no procfs. On a shared 2-core machine a process's
 * CPU per request is a far steadier figure than requests per second.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || os.platform() !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces, start after its closing paren.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
  } catch {
    return null;
  }
}

/** Runs `work` and returns its result with the CPU each process used meanwhile, in µs per `count()`. */
export async function cpuPerRequest<T>(
  pids: Record<string, number | undefined>,
  work: () => Promise<T>,
  count: (result: T) => number,
): Promise<{ result: T; usPerRequest: Record<string, number | null> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, processCpuMs(pid)]));
  const result = await work();
  const n = count(result);
  const usPerRequest = Object.fromEntries(
    Object.entries(pids).map(([k, pid]) => {
      const start = before[k];
      const end = processCpuMs(pid);
      return [k, start == null || end == null || n === 0 ? null : Math.round(((end - start) * 1000) / n)];
    }),
  );
  return { result, usPerRequest };
}
