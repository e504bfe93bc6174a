import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureConsoleBuilt } from '../../client/console/build.ts';
import { createApp } from '../app.ts';
import { ConfigError, type HubConfig } from '../config/env.ts';
import { recordServerUrl } from '../config/server-url.ts';
import { migrate, pendingMigrations } from '../db/migrate.ts';
import type { Hub } from '../hub.ts';
import { startWorker, type WorkerHandle } from '../jobs/worker.ts';
import type { Logger } from '../logger.ts';
import { sandboxExposureWarning } from '../meta/sandbox-exposure.ts';
import { type MetricsServer, startMetricsServer } from '../observability/http-metrics.ts';
import { openHubWhenAvailable } from './database-wait.ts';
import { createHttpServer, drain } from './http-server.ts';

export interface RunningHub {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

/**
 * With `PORT=0` and no PUBLIC_URL, the URL the hub hands out (callbacks, key addresses, the
 * sandbox Graph) must name the port the OS picked: bind first, then build everything else.
 */
async function bindPort(config: HubConfig): Promise<{ server: Server; config: HubConfig }> {
  // Alive but not ready: booting can wait minutes for the database, and a liveness probe
  // must not restart a process that is only waiting.
  const server = createHttpServer(config.http, (req, res) => {
    if (req.url === '/livez') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok' }));
      return;
    }
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ error: { code: 'not_ready', message: 'The hub is starting' } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const publicUrl = config.publicUrl.endsWith(':0')
    ? config.publicUrl.replace(/:0$/, `:${port}`)
    : config.publicUrl;
  return { server, config: { ...config, port, publicUrl } };
}

/**
 * boot: port -> database (waiting while it is unavailable) -> migrations -> HTTP app -> worker.
 * `stop` undoes it in reverse. Aborting `signal` ends a wait for the database.
 */
export async function serve(
  requested: HubConfig,
  logger: Logger,
  options: { signal?: AbortSignal } = {},
): Promise<RunningHub> {
  const startedAt = performance.now();
  const { server, config } = await bindPort(requested);
  let hub: Hub;
  try {
    hub = await openHubWhenAvailable(config, logger, {
      signal: options.signal,
      prepare: async ({ orm, databaseUrl }) => {
        if (!config.migrateOnStart) {
          const pending = await pendingMigrations(orm);
          if (pending.length > 0)
            throw new ConfigError(
              `the database has ${pending.length} pending migration(s) and MIGRATE_ON_START is off: run \`npx partner-hub migrate\` first`,
            );
          return;
        }
        const { applied } = await migrate(orm, databaseUrl);
        if (applied.length > 0) logger.info({ applied }, 'applied migrations');
      },
    });
  } catch (err) {
    server.close();
    throw err;
  }
  await prepareConsole(config, logger);
  let worker: WorkerHandle | undefined;
  let metricsServer: MetricsServer | undefined;
  try {
    if (config.metrics.port !== undefined) metricsServer = await startMetricsServer(hub, logger);
    const app = createApp(hub);
    server.removeAllListeners('request');
    server.on('request', app);
    if (config.worker.enabled) {
      worker = await startWorker(hub);
      hub.attachWorker(worker);
    }
  } catch (err) {
    await worker?.stop();
    await metricsServer?.close();
    server.close();
    await hub.close();
    throw err;
  }
  const { port } = config;
  const url = config.publicUrl;
  printBanner(config, hub.embedded?.port, url, Math.round(performance.now() - startedAt), metricsServer?.url);
  logger.info({ port, mode: config.meta.mode, embeddedDatabase: !config.databaseUrl }, 'partner hub started');

  const forgetUrl = recordServerUrl(config.dataDir, url);
  const listening = server;
  return {
    server: listening,
    url,
    async stop() {
      await drain(listening, config.shutdownTimeoutMs);
      await worker?.stop();
      await metricsServer?.close();
      await hub.close();
      forgetUrl();
      logger.info('partner hub stopped');
    },
  };
}

function metricsLine(config: HubConfig, url: string, metricsUrl: string | undefined): string {
  if (metricsUrl) return `${metricsUrl}${config.metrics.token ? '   (bearer METRICS_TOKEN)' : ''}`;
  if (config.metrics.token) return `${url}/metrics   (bearer METRICS_TOKEN)`;
  return 'not exposed (set METRICS_PORT or METRICS_TOKEN)';
}

function printBanner(
  config: HubConfig,
  embeddedPort: number | undefined,
  url: string,
  bootMs: number,
  metricsUrl: string | undefined,
): void {
  const database = embeddedPort
    ? `embedded PostgreSQL (${config.dataDir}/pg on 127.0.0.1:${embeddedPort})`
    : 'external PostgreSQL (DATABASE_URL)';
  const meta =
    config.meta.mode === 'sandbox'
      ? `Meta sandbox (${config.meta.appId ? 'META_MODE=sandbox' : 'META_APP_ID is unset'})`
      : `Meta production (app ${config.meta.appId})`;
  const worker = config.worker.enabled
    ? `in this process (concurrency ${config.worker.concurrency})`
    : 'disabled here (run `npx partner-hub worker`)';
  const lines = [
    `Partner Hub is up in ${bootMs} ms: ${url}`,
    `  mode       ${meta}`,
    `  database   ${database}`,
    `  worker     ${worker}`,
    `  REST API   ${url}/api/v2`,
    `  tRPC       ${url}/trpc`,
    `  API docs   ${url}/docs`,
    `  console    ${url}/console${
      config.meta.mode === 'sandbox'
        ? '   (demo@partner-hub.test / demo-console-password)'
        : '   (first user: npx partner-hub console create-user)'
    }`,
    `  health     ${url}/livez  ${url}/readyz`,
    `  metrics    ${metricsLine(config, url, metricsUrl)}`,
    ...(config.linkedDevices.enabled
      ? [
          `  linked     on: QR-paired numbers (UNOFFICIAL, can be banned) via ${
            config.meta.mode === 'sandbox' ? 'the device emulator' : 'Baileys'
          }, run by ${config.worker.enabled ? 'this worker' : 'the `partner-hub worker` processes'}`,
        ]
      : []),
    ...(config.meta.mode === 'sandbox'
      ? [`  demo       ${url}/demo   (a partner portal against the sandbox: start here)`]
      : []),
    '  next       npx partner-hub partners create --name "My SaaS"',
  ];
  const warning = sandboxExposureWarning(config);
  if (warning) lines.splice(1, 0, `  WARNING    ${warning}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * The console's build (client/console/dist): made when missing, and in development when a
 * source changed. A failed build leaves `/console` answering `not_ready`; the API serves on.
 */
async function prepareConsole(config: HubConfig, logger: Logger): Promise<void> {
  const t0 = performance.now();
  try {
    const built = await ensureConsoleBuilt({ rebuildStale: config.nodeEnv !== 'production' });
    if (built) logger.info({ ms: Math.round(performance.now() - t0) }, 'built the console');
  } catch (err) {
    logger.error({ err }, 'the console could not be built: /console answers not_ready');
  }
}
