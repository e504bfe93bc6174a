import { EventEmitter } from 'node:events';
import {
  type Runner,
  run,
  runOnce,
  type TaskList,
  type WorkerEvents,
  Logger as WorkerLogger,
} from 'graphile-worker';
import pg from 'pg';
import { CallbackQueryClient } from '../db/callback-query-client.ts';
import { query } from '../db/sql.ts';
import type { Hub } from '../hub.ts';
import { startLinkedDeviceRunner } from '../linked-devices/runner/start.ts';
import type { Logger } from '../logger.ts';
import { RunnerWakeups } from '../modules/webhooks/delivery/runner-wakeups.ts';
import { crontab, taskCatalog } from './catalog.ts';
import { Fence } from './fence.ts';
import { reconcileDeliveryJobs } from './reconcile.ts';
import type { TaskDefinition } from './task.ts';

/** Adapts the catalogue to graphile-worker: validate the payload, give each job its own EntityManager. */
export function buildTaskList(deps: Hub, stopping: AbortSignal): TaskList {
  const list: TaskList = {};
  for (const [name, task] of Object.entries(taskCatalog) as [string, TaskDefinition][]) {
    list[name] = async (payload, helpers) => {
      const parsed = task.payload.parse(payload);
      const logger = deps.logger.child({ task: name, jobId: helpers.job.id });
      await task.run(parsed, { ...deps, em: deps.orm.em.fork(), logger, stopping }, helpers);
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

export interface WorkerOptions {
  /** Jobs at once; `WORKER_CONCURRENCY` unless a benchmark sets it. */
  concurrency?: number;
}

const RESTART_DELAYS_MS = [500, 1000, 2000, 5000];

/**
 * Runs graphile-worker under supervision. Whatever ends a pool (the database restarting under
 * it, a query failing while it completes a job), a new pool starts after a short backoff, the
 * dead pool's jobs are released, and the process lives on. Batched completion keeps
 * graphile-worker from leaving a failed `completeJob` as an unhandled rejection, which would end
 * the process.
 */
export async function startWorker(deps: Hub, options: WorkerOptions = {}): Promise<WorkerHandle> {
  const concurrency = options.concurrency ?? deps.config.worker.concurrency;
  const stopping = new AbortController();
  const pgPool = workerPool(deps.databaseUrl, concurrency, deps.logger);
  // A pool silent this long is dead: its jobs are released (see fence.ts).
  const fence = new Fence(deps.orm, deps.config.worker.deadAfterMs, deps.logger);
  const taskList = buildTaskList(deps, stopping.signal);
  // Delivery runners may wait out their idle grace in at most half of this worker's slots.
  const wakeups = new RunnerWakeups(deps.databaseUrl, deps.logger);
  wakeups.start();
  const takeBackGrace = deps.engine.idleGrace.lend(Math.floor(concurrency / 2), wakeups);
  let runner: Runner | undefined;
  let started = false;

  const startPool = async (): Promise<Runner> => {
    await reconcileDeliveryJobs(deps.orm.em.fork(), deps.clock);
    const events: WorkerEvents = new EventEmitter();
    let poolId: string | undefined;
    events.on('pool:create', ({ workerPool }) => {
      poolId = workerPool.id;
    });
    const next = await run({
      pgPool,
      concurrency,
      taskList,
      crontab,
      noHandleSignals: true,
      logger: workerLogger(deps.logger),
      events,
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    if (poolId) await fence.watch(poolId);
    return next;
  };

  const supervise = (async () => {
    for (let failures = 0; !stopping.signal.aborted; failures++) {
      try {
        runner = await startPool();
        started = true;
        failures = 0;
        await runner.promise;
      } catch (err) {
        if (!stopping.signal.aborted) deps.logger.warn({ err }, 'job worker stopped; restarting');
      } finally {
        runner = undefined;
      }
      if (stopping.signal.aborted) break;
      // The pool is gone; whatever it held is free to run elsewhere now.
      await fence.release({ unlock: true });
      const delay = RESTART_DELAYS_MS[Math.min(failures, RESTART_DELAYS_MS.length - 1)]!;
      await new Promise((r) => setTimeout(r, delay));
    }
  })();

  // Boot waits for the first pool, so `hub worker` and `npm start` report a worker that runs.
  while (!started && !stopping.signal.aborted) {
    const settled = await Promise.race([
      supervise.then(() => true),
      new Promise((r) => setTimeout(r, 50, false)),
    ]);
    if (settled) break;
  }

  const linkedDevices = startLinkedDeviceRunner(deps);

  return {
    get running() {
      return runner !== undefined;
    },
    async stop() {
      // Sockets first: their leases are released so another worker takes them over at once.
      await linkedDevices?.stop();
      stopping.abort();
      takeBackGrace();
      await runner?.stop().catch((err: unknown) => deps.logger.warn({ err }, 'job worker stopped uncleanly'));
      await supervise;
      await fence.release({ unlock: false });
      await wakeups.close();
      await pgPool.end();
    },
  };
}

/**
 * graphile-worker's connections, kept across pool restarts. Its own pool drops its error
 * listeners when a worker pool is released, and a connection that then dies with the database
 * (a restart during the release) would be an uncaught error ending the process.
 */
function workerPool(databaseUrl: string, concurrency: number, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: Math.max(10, concurrency + 2),
    application_name: 'partner-hub-worker',
    Client: CallbackQueryClient,
  });
  const lost = (err: Error) => logger.debug({ err }, 'job queue database connection lost');
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  return pool;
}

/**
 * Runs every due job to completion, then returns: how tests (and one-shot operators) drain,
 * without sleeping. graphile-worker judges what is due by Node's clock here (`useNodeTime`),
 * which the test harness sets to its movable clock for the duration of the drain.
 */
export async function drainJobs(deps: Hub): Promise<void> {
  const taskList = buildTaskList(deps, new AbortController().signal);
  const em = deps.orm.em.fork();
  // Our own pool, ended before returning: graphile-worker's would end in the background, and a
  // connection closed by the server meanwhile (its database dropped) would be an uncaught error.
  const pgPool = workerPool(deps.databaseUrl, 1, deps.logger);
  try {
    for (let round = 0; round < 100; round++) {
      await runOnce({ pgPool, taskList, logger: workerLogger(deps.logger), useNodeTime: true });
      const [left] = await query<{ n: number }>(
        em,
        `select count(*)::int as n from graphile_worker.jobs
          where locked_at is null and attempts < max_attempts and run_at <= ?`,
        [new Date()],
      );
      if (!left?.n) return;
    }
    throw new Error('drainJobs: jobs are still due after 100 rounds');
  } finally {
    await pgPool.end();
  }
}
