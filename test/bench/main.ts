import { benchChaos } from './chaos.ts';
import { benchFairness } from './fairness.ts';
import { benchInbound } from './inbound.ts';
import { benchLists } from './lists.ts';
import { benchPartnerAuth } from './partner-auth.ts';
import { benchProxy } from './proxy.ts';
import { benchRetention } from './retention.ts';
import { benchSoak } from './soak.ts';
import { benchWebhooks } from './webhooks.ts';

export type BenchFlags = Record<string, string>;

/**
 * `npm run bench -- [name …] [--flag value …]`: each benchmark prints figures and, last, one
 * JSON line. Flags size a benchmark (e.g. `chaos --events 5000`).
 */
const benchmarks: Record<string, (flags: BenchFlags) => Promise<void>> = {
  auth: benchPartnerAuth,
  webhooks: benchWebhooks,
  fairness: benchFairness,
  inbound: benchInbound,
  proxy: benchProxy,
  chaos: benchChaos,
  retention: benchRetention,
  lists: benchLists,
  soak: benchSoak,
};

const args = process.argv.slice(2);
const names: string[] = [];
const flags: BenchFlags = {};
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg.startsWith('--')) flags[arg.slice(2)] = args[++i] ?? '';
  else names.push(arg);
}
for (const name of names.length > 0 ? names : Object.keys(benchmarks)) {
  const bench = benchmarks[name];
  if (!bench) {
    process.stderr.write(
      `error: unknown benchmark "${name}" (available: ${Object.keys(benchmarks).join(', ')})\n`,
    );
    process.exit(1);
  }
  await bench(flags);
}
