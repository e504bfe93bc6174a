import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The data dir of the hubs and CLI commands one test file starts (unless it names its own): not
 * the repository's `.data`, where a developer's own hub records its URL (config/server-url.ts).
 */
const TEST_DATA_DIR = path.join(os.tmpdir(), `partner-hub-test-${process.pid}`);

/** The test process's environment minus anything that would point a child at the wrong hub. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of Object.keys(base)) {
    if (/^(DATABASE_URL|HUB_|META_|PORT|PUBLIC_URL|LOG_LEVEL|WORKER_)/.test(key)) delete base[key];
  }
  return { ...base, NODE_ENV: 'development', HUB_DATA_DIR: TEST_DATA_DIR, ...env };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run hub -- <args>` the way an operator would, minus npm's own output. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['server/cli/main.ts', ...args],
      { cwd: ROOT, env: childEnv(env), timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface HubProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  bootMs: number;
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A hub process that may still be booting (e.g. waiting for its database). */
export interface BootingHub {
  child: ChildProcess;
  /** stdout and stderr, interleaved as they arrived. */
  output(): string;
  /** stderr alone: where a failed start says why, in one line. */
  stderr(): string;
  /** Resolves once the banner is printed; rejects if the process exits first or after 60 s. */
  started: Promise<HubProcess>;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Spawns `npm start` (node server/main.ts) without waiting for it; `{ through: 'npm' }` runs the
 * real `npm start`, whose process is then `child`.
 */
export function spawnHub(
  env: Record<string, string>,
  options: { through?: 'node' | 'npm'; nodeArgs?: string[] } = {},
): BootingHub {
  const [command, args] =
    options.through === 'npm'
      ? ['npm', ['start']]
      : [process.execPath, [...(options.nodeArgs ?? []), 'server/main.ts']];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: childEnv({ PORT: '0', ...env }),
  });
  let output = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
    stderr += c.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const banner = new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start within 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /Partner Hub is up in (\d+) ms: (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', check);
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`hub exited during start:\n${output}`));
    });
  });
  const started = banner.then(
    (match): HubProcess => ({
      url: match[2]!,
      bootMs: Number(match[1]),
      child,
      output: () => output,
      async stop(signal = 'SIGTERM') {
        if (child.exitCode !== null) return child.exitCode;
        child.kill(signal);
        return exited;
      },
    }),
  );
  // Callers that only watch `exited` must not trip over an unhandled rejection.
  started.catch(() => {});
  return { child, output: () => output, stderr: () => stderr, started, exited };
}

/** Starts `npm start` (node server/main.ts) and resolves once it prints its banner. */
export async function startHub(
  env: Record<string, string>,
  options: { nodeArgs?: string[] } = {},
): Promise<HubProcess> {
  return spawnHub(env, options).started;
}

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
