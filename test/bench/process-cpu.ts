import { readdirSync, readFileSync } from 'node:fs';
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
    return cpuOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), false);
  } catch {
    return null;
  }
}

/** utime + stime (and, with `children`, the reaped children's cutime + cstime) of a `/proc/<pid>/stat` line, in ms. */
function cpuOfStat(stat: string, children: boolean): number {
  // Fields after the command name, which may hold spaces, start after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  const reaped = children ? Number(fields[13]) + Number(fields[14]) : 0;
  return ((own + reaped) * 1000) / TICKS_PER_S;
}

/**
 * CPU time so far of every PostgreSQL process on the machine (backends, WAL writer,
 * checkpointer …, and through the postmaster's reaped children those that have exited), in ms:
 * what the hub's statements cost the database. Other databases' work on the same server counts
 * too, so read it on a machine running nothing else.
 */
export function postgresCpuMs(): number | null {
  if (os.platform() !== 'linux') return null;
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while listed
    }
    if (stat.includes(' (postgres) ')) total += cpuOfStat(stat, true);
  }
  return total;
}

/** A process to measure: its pid, or a function reading a CPU total in ms (`postgresCpuMs`). */
export type CpuSource = number | undefined | (() => number | null);

const read = (source: CpuSource) => (typeof source === 'function' ? source() : processCpuMs(source));

/** Runs `work` and returns its result with the CPU each source used meanwhile, in µs per `count()`. */
export async function cpuPerRequest<T>(
  sources: Record<string, CpuSource>,
  work: () => Promise<T>,
  count: (result: T) => number,
): Promise<{ result: T; usPerRequest: Record<string, number | null> }> {
  const before = Object.fromEntries(Object.entries(sources).map(([k, source]) => [k, read(source)]));
  const result = await work();
  const n = count(result);
  const usPerRequest = Object.fromEntries(
    Object.entries(sources).map(([k, source]) => {
      const start = before[k];
      const end = read(source);
      return [k, start == null || end == null || n === 0 ? null : Math.round(((end - start) * 1000) / n)];
    }),
  );
  return { result, usPerRequest };
}
