import os from 'node:os';
import autocannon from 'autocannon';
import { createApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config/env.ts';
import { migrate } from '../../server/db/migrate.ts';
import { appDepsFrom } from '../../server/deps.ts';
import { createLogger } from '../../server/logger.ts';
import { listen } from '../../server/process/http-server.ts';
import { openRuntime } from '../../server/runtime.ts';
import { partnerFactory } from '../support/factories.ts';
import { withScratchDatabase } from './scratch-database.ts';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const CONNECTIONS = 32;

/**
 * The cost of the authentication chain every partner call pays: checksum, SHA-256,
 * one indexed lookup, tenancy check, serialisation, over real HTTP on loopback.
 */
export async function benchPartnerAuth(): Promise<void> {
  await withScratchDatabase(async (databaseUrl) => {
    const config = parseConfig({
      DATABASE_URL: databaseUrl,
      HUB_SECRET: 'bench-secret-bench-secret-bench-secret',
      RATE_LIMIT_READ_PER_MINUTE: '1000000',
    });
    const runtime = await openRuntime(config, createLogger('silent'));
    await migrate(runtime.orm, databaseUrl);
    const deps = appDepsFrom(runtime, { workerStatus: () => 'disabled' });
    const { partner, token } = await partnerFactory(runtime.orm.em.fork(), deps);
    const server = await listen(createApp(deps), 0);
    const port = (server.address() as { port: number }).port;
    try {
      const result = await autocannon({
        url: `http://127.0.0.1:${port}/api/v2/partners/${partner.id}`,
        headers: { authorization: `Bearer ${token}` },
        connections: CONNECTIONS,
        duration: DURATION_S,
      });
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`benchmark saw ${result.non2xx} non-2xx responses and ${result.errors} errors`);
      }
      const figures = {
        bench: 'auth',
        requests_per_s: Math.round(result.requests.average),
        p50_ms: result.latency.p50,
        p99_ms: result.latency.p99,
      };
      process.stdout.write(
        [
          `auth: GET /api/v2/partners/{id} with a partner token, ${CONNECTIONS} connections, ${DURATION_S} s`,
          `  machine      ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
          `  throughput   ${figures.requests_per_s} requests/s`,
          `  latency      p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms`,
          JSON.stringify(figures),
          '',
        ].join('\n'),
      );
    } finally {
      server.close();
      await runtime.close();
    }
  });
}
