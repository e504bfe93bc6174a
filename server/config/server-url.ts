import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The serving process records its URL in the data dir (beside the embedded database's port), so
 * a CLI command in another terminal (`sandbox onboard`) reaches the hub that runs, even on a port
 * the OS picked, without PUBLIC_URL exported.
 */
const FILE = 'server.json';

interface Recorded {
  url: string;
  pid: number;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Records `url` for this process; the returned function removes the record if it is still ours. */
export function recordServerUrl(dataDir: string, url: string): () => void {
  const file = path.join(dataDir, FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ url, pid: process.pid } satisfies Recorded), { mode: 0o600 });
  return () => {
    if (readRecord(file)?.pid === process.pid) rmSync(file, { force: true });
  };
}

/** The URL of a hub serving from this data dir, if one recorded it and still runs. */
export function runningServerUrl(dataDir: string): string | undefined {
  const recorded = readRecord(path.join(dataDir, FILE));
  return recorded && isAlive(recorded.pid) ? recorded.url : undefined;
}

function readRecord(file: string): Recorded | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Recorded>;
    return typeof parsed.url === 'string' && Number.isInteger(parsed.pid) ? (parsed as Recorded) : undefined;
  } catch {
    return undefined;
  }
}
