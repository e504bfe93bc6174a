import type { Command } from 'commander';
import { migrate } from '../../db/migrate.ts';
import { query } from '../../db/sql.ts';
import { runUntilSignal } from '../../process/signals.ts';
import { cliConfig, cliLogger, withHub } from '../context.ts';
import { printLines } from '../output.ts';

/**
 * Long-running and schema commands: serve, worker, migrate, migrations create. The HTTP app and
 * the worker are imported when their command runs: loading them took half of every other
 * command's start (~0.9 s of ~1.8 s).
 */
export function registerProcessCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const { applied } = await withHub(({ orm, databaseUrl }) => migrate(orm, databaseUrl), {
        schema: 'as-is',
      });
      printLines(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
    });

  program
    .command('serve')
    .description('run the HTTP server (and, unless WORKER_ENABLED=false, the job worker)')
    .action(async () => {
      const config = cliConfig({ serving: true });
      const logger = cliLogger({ ...config, logLevel: process.env.LOG_LEVEL ? config.logLevel : 'info' });
      const { serve } = await import('../../process/serve.ts');
      await runUntilSignal((signal) => serve(config, logger, { signal }), logger);
    });

  program
    .command('worker')
    .description('run only the job worker; start as many as you like against one database')
    .action(async () => {
      const config = cliConfig();
      const logger = cliLogger({ ...config, logLevel: process.env.LOG_LEVEL ? config.logLevel : 'info' });
      const [{ openHubWhenAvailable }, { startWorker }, { startMetricsServer }] = await Promise.all([
        import('../../process/database-wait.ts'),
        import('../../jobs/worker.ts'),
        import('../../observability/http-metrics.ts'),
      ]);
      await runUntilSignal(async (signal) => {
        // Opening the hub touches no table: one query proves the database is there.
        const hub = await openHubWhenAvailable(config, logger, {
          signal,
          prepare: async ({ orm }) => {
            await query(orm.em.fork(), 'select 1');
          },
        });
        // No HTTP app here: with METRICS_PORT, this worker's metrics get a listener of their own.
        const metricsServer =
          config.metrics.port !== undefined ? await startMetricsServer(hub, logger) : undefined;
        const worker = await startWorker(hub);
        hub.attachWorker(worker);
        logger.info({ concurrency: config.worker.concurrency }, 'job worker running');
        return {
          async stop() {
            await worker.stop();
            await metricsServer?.close();
            await hub.close();
          },
        };
      }, logger);
    });

  program
    .command('migrations')
    .description('for hub developers: schema migrations')
    .command('create')
    .description('write a migration for the difference between the entities and the last snapshot')
    .option('--name <name>', 'suffix for the migration file name')
    .action(async (opts: { name?: string }) => {
      const result = await withHub(({ orm }) => orm.migrator.create(undefined, false, false, opts.name), {
        schema: 'as-is',
      });
      printLines(result.fileName ? `Wrote migrations/${result.fileName}` : 'No schema changes to migrate.');
    });
}
