import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../support/free-port.ts';
import { childEnv, type HubProcess, ROOT, runCli, startHub } from '../support/processes.ts';

export const BENCH_HUB_SECRET = 'bench-secret-bench-secret-bench-secret';

// The sandbox needs PUBLIC_URL to name the real port before boot.
export { freePort };

/**
 * Node options for every hub process a bench starts, e.g. `BENCH_HUB_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/prof"` to profile what a bench measures (NODE_OPTIONS would reach every
 * process, the bench's own and npm too).
 */
const HUB_NODE_ARGS = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

/** `npm start` in its own process, as production runs it, on a known loopback port. */
export async function startBenchHub(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<HubProcess> {
  const port = await freePort();
  return startHub(
    {
      DATABASE_URL: databaseUrl,
      HUB_SECRET: BENCH_HUB_SECRET,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      // Benchmarks hammer the sandbox far past Meta's 80 messages/s and pair rate.
      SANDBOX_THROUGHPUT: 'false',
      ...env,
    },
    { nodeArgs: HUB_NODE_ARGS },
  );
}

/** `npm run hub -- worker`: a worker process of its own, as a production deployment runs it. */
export function startBenchWorker(
  databaseUrl: string,
  hubUrl: string,
  env: Record<string, string> = {},
): { child: ChildProcess; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['server/cli/main.ts', 'worker'], {
    cwd: ROOT,
    env: childEnv({ DATABASE_URL: databaseUrl, HUB_SECRET: BENCH_HUB_SECRET, PUBLIC_URL: hubUrl, ...env }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function cliJson<T>(args: string[], env: Record<string, string>): Promise<T> {
  const res = await runCli([...args, '--json'], env);
  if (res.code !== 0) throw new Error(`hub ${args.join(' ')} failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as T;
}

export interface BenchChannel {
  partnerId: string;
  partnerToken: string;
  webhookSecret: string;
  channelId: string;
  phoneNumberId: string;
  wabaId: string;
  apiKey: string;
}

/** A partner and a live sandbox channel with an API key, set up the way a developer would: CLI and REST. */
export async function onboardBenchChannel(
  hubUrl: string,
  env: Record<string, string>,
): Promise<BenchChannel> {
  const cliEnv = { HUB_SECRET: BENCH_HUB_SECRET, PUBLIC_URL: hubUrl, ...env };
  const partner = await cliJson<{ id: string; token: string; webhook_secret: string }>(
    ['partners', 'create', '--name', 'Bench SaaS'],
    cliEnv,
  );
  const onboarded = await cliJson<{ channel_id: string; phone_number_id: string; waba_id: string }>(
    ['sandbox', 'onboard', '--partner', partner.id],
    cliEnv,
  );
  const res = await fetch(
    `${hubUrl}/api/v2/partners/${partner.id}/channels/${onboarded.channel_id}/api_keys`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${partner.token}` },
    },
  );
  const key = (await res.json()) as { api_key: string };
  return {
    partnerId: partner.id,
    partnerToken: partner.token,
    webhookSecret: partner.webhook_secret,
    channelId: onboarded.channel_id,
    phoneNumberId: onboarded.phone_number_id,
    wabaId: onboarded.waba_id,
    apiKey: key.api_key,
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
