import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.ts';
import type { HubConfig } from '../config/env.ts';
import { migrate } from '../db/migrate.ts';
import { appDepsFrom, workerDepsFrom } from '../deps.ts';
import { startWorker, type WorkerHandle } from '../jobs/worker.ts';
import type { Logger } from '../logger.ts';
import { openRuntime } from '../runtime.ts';
import { drain, listen } from './http-server.ts';

export interface RunningHub {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

/** boot: database -> migrations -> HTTP -> worker. `stop` undoes it in reverse. */
export async function serve(config: HubConfig, logger: Logger): Promise<RunningHub> {
  const startedAt = performance.now();
  const runtime = await openRuntime(config, logger);
  let worker: WorkerHandle | undefined;
  let server: Server | undefined;
  try {
    const { applied } = await migrate(runtime.orm, runtime.databaseUrl);
    if (applied.length > 0) logger.info({ applied }, 'applied migrations');
    const deps = appDepsFrom(runtime, {
      workerStatus: () => (!config.worker.enabled ? 'disabled' : worker?.running ? 'running' : 'stopped'),
    });
    server = await listen(createApp(deps), config.port);
    if (config.worker.enabled) {
      worker = await startWorker(workerDepsFrom(runtime), {
        databaseUrl: runtime.databaseUrl,
        concurrency: config.worker.concurrency,
        signal: runtime.outbox,
      });
    }
  } catch (err) {
    await worker?.stop();
    server?.close();
    await runtime.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const url = config.publicUrl.replace(`:${config.port}`, `:${port}`);
  printBanner(config, runtime.embedded?.port, url, Math.round(performance.now() - startedAt));
  logger.info({ port, mode: config.meta.mode, embeddedDatabase: !config.databaseUrl }, 'partner hub started');

  const listening = server;
  return {
    server: listening,
    url,
    async stop() {
      await drain(listening, config.shutdownTimeoutMs);
      await worker?.stop();
      await runtime.close();
      logger.info('partner hub stopped');
    },
  };
}

function printBanner(config: HubConfig, embeddedPort: number | undefined, url: string, bootMs: number): void {
  const database = embeddedPort
    ? `embedded PostgreSQL (${config.dataDir}/pg on 127.0.0.1:${embeddedPort})`
    : 'external PostgreSQL (DATABASE_URL)';
  const meta =
    config.meta.mode === 'sandbox'
      ? 'Meta sandbox (META_APP_ID is unset)'
      : `Meta production (app ${config.meta.appId})`;
  const worker = config.worker.enabled
    ? `in this process (concurrency ${config.worker.concurrency})`
    : 'disabled here (run `npm run hub -- worker`)';
  const lines = [
    `Partner Hub is up in ${bootMs} ms: ${url}`,
    `  mode       ${meta}`,
    `  database   ${database}`,
    `  worker     ${worker}`,
    `  REST API   ${url}/api/v2`,
    `  tRPC       ${url}/trpc`,
    `  health     ${url}/livez  ${url}/readyz`,
    '  next       npm run hub -- partners create --name "My SaaS"',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
