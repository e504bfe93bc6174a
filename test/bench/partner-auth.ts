import os from 'node:os';
import autocannon from 'autocannon';
import { createApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config/env.ts';
import { migrate } from '../../server/db/migrate.ts';
import { openHub } from '../../server/hub.ts';
import { createLogger } from '../../server/logger.ts';
import { listen } from '../../server/process/http-server.ts';
import { partnerFactory } from '../support/factories.ts';
import { withScratchDatabase } from './scratch-database.ts';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const CONNECTIONS = 32;

/**
 * The cost of the authentication chain every partner call pays: checksum, SHA-256,
 * token lookup, partner budget, tenancy check, serialisation, over real HTTP on loopback,
 * against `/livez` (same middleware stack, no authentication, no database) in the same run;
 * then the p99 of the authenticated call at half of the rate it reached. autocannon runs in a
 * worker thread (`workers: 1`, every run alike), so the hub's event loop serves requests only
 * instead of also generating them.
 */
export async function benchPartnerAuth(): Promise<void> {
  await withScratchDatabase(async (databaseUrl) => {
    const config = parseConfig({
      DATABASE_URL: databaseUrl,
      HUB_SECRET: 'bench-secret-bench-secret-bench-secret',
      RATE_LIMIT_READ_PER_MINUTE: '1000000',
    });
    const hub = await openHub(config, createLogger('silent'));
    await migrate(hub.orm, databaseUrl);
    const { partner, token } = await partnerFactory(hub.orm.em.fork(), hub);
    const server = await listen(createApp(hub), 0);
    const port = (server.address() as { port: number }).port;
    try {
      const run = (path: string, extra: { headers?: Record<string, string>; overallRate?: number } = {}) =>
        autocannon({
          url: `http://127.0.0.1:${port}${path}`,
          connections: CONNECTIONS,
          duration: DURATION_S,
          workers: 1,
          ...extra,
        }).then((result) => {
          if (result.non2xx > 0 || result.errors > 0) {
            throw new Error(`benchmark saw ${result.non2xx} non-2xx responses and ${result.errors} errors`);
          }
          return result;
        });
      const authed = { headers: { authorization: `Bearer ${token}` } };
      const path = `/api/v2/partners/${partner.id}`;
      // Warm-up, then /livez (same middleware stack, no authentication, no database) and the
      // authenticated call at full load, then the authenticated call at half its maximum rate.
      await autocannon({
        url: `http://127.0.0.1:${port}${path}`,
        connections: CONNECTIONS,
        duration: 1,
        workers: 1,
        ...authed,
      });
      const livez = await run('/livez');
      const result = await run(path, authed);
      const half = Math.max(1, Math.round(result.requests.average / 2));
      const halfLoad = await run(path, { ...authed, overallRate: half });
      const figures = {
        bench: 'auth',
        livez_requests_per_s: Math.round(livez.requests.average),
        requests_per_s: Math.round(result.requests.average),
        ratio_to_livez: Number((result.requests.average / livez.requests.average).toFixed(3)),
        p50_ms: result.latency.p50,
        p99_ms: result.latency.p99,
        half_load_requests_per_s: half,
        half_load_p99_ms: halfLoad.latency.p99,
      };
      process.stdout.write(
        [
          `auth: GET /api/v2/partners/{id} with a partner token, ${CONNECTIONS} connections, ${DURATION_S} s`,
          `  machine      ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
          `  /livez       ${figures.livez_requests_per_s} requests/s`,
          `  throughput   ${figures.requests_per_s} requests/s (${figures.ratio_to_livez} of /livez)`,
          `  latency      p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms`,
          `  half load    ${half} requests/s: p99 ${figures.half_load_p99_ms} ms`,
          JSON.stringify(figures),
          '',
        ].join('\n'),
      );
    } finally {
      server.close();
      await hub.close();
    }
  });
}
