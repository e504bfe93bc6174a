import { benchInbound } from './inbound.ts';
import { benchPartnerAuth } from './partner-auth.ts';
import { benchProxy } from './proxy.ts';
import { benchWebhooks } from './webhooks.ts';

/** `npm run bench -- <name>`: each benchmark prints figures and, last, one JSON line. */
const benchmarks: Record<string, () => Promise<void>> = {
  auth: benchPartnerAuth,
  webhooks: benchWebhooks,
  inbound: benchInbound,
  proxy: benchProxy,
};

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : Object.keys(benchmarks);
for (const name of names) {
  const bench = benchmarks[name];
  if (!bench) {
    process.stderr.write(
      `error: unknown benchmark "${name}" (available: ${Object.keys(benchmarks).join(', ')})\n`,
    );
    process.exit(1);
  }
  await bench();
}
