import type { MikroORM } from '@mikro-orm/postgresql';
import { run, runOnce, type TaskList, Logger as WorkerLogger } from 'graphile-worker';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { crontab, taskCatalog } from './catalog.ts';

export interface WorkerDeps {
  orm: MikroORM;
  clock: Clock;
  logger: Logger;
}

/** Adapts the catalogue to graphile-worker: validate the payload, give each job its own EntityManager. */
export function buildTaskList(deps: WorkerDeps): TaskList {
  const list: TaskList = {};
  for (const [name, task] of Object.entries(taskCatalog)) {
    list[name] = async (payload, helpers) => {
      const parsed = task.payload.parse(payload);
      const logger = deps.logger.child({ task: name, jobId: helpers.job.id });
      await task.run(parsed, { em: deps.orm.em.fork(), clock: deps.clock, logger }, helpers);
    };
  }
  return list;
}

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    logger[method]({ worker: scope, ...meta }, message);
  });
}

export interface WorkerHandle {
  readonly running: boolean;
  stop(): Promise<void>;
}

export async function startWorker(
  deps: WorkerDeps,
  options: { databaseUrl: string; concurrency: number },
): Promise<WorkerHandle> {
  let running = true;
  const runner = await run({
    connectionString: options.databaseUrl,
    concurrency: options.concurrency,
    taskList: buildTaskList(deps),
    crontab,
    noHandleSignals: true,
    logger: workerLogger(deps.logger),
  });
  runner.promise.then(
    () => {
      running = false;
    },
    (err) => {
      running = false;
      deps.logger.error({ err }, 'job worker stopped with an error');
    },
  );
  return {
    get running() {
      return running;
    },
    async stop() {
      if (running) await runner.stop();
      running = false;
    },
  };
}

/** Runs every job that is due, then returns: how tests and one-shot operators drain the queue. */
export async function drainJobs(deps: WorkerDeps, databaseUrl: string): Promise<void> {
  await runOnce({
    connectionString: databaseUrl,
    taskList: buildTaskList(deps),
    logger: workerLogger(deps.logger),
  });
}
