import type { MikroORM } from '@mikro-orm/postgresql';
import { run, runOnce, type TaskList, Logger as WorkerLogger } from 'graphile-worker';
import type { Clock } from '../clock.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Logger } from '../logger.ts';
import type { WebhookEngine } from '../modules/webhooks/delivery/engine.ts';
import { listenForOutbox, type OutboxSignal } from '../modules/webhooks/delivery/outbox-signal.ts';
import { DEFAULT_PUMP_OPTIONS, pumpDueDeliveries } from '../modules/webhooks/delivery/pump.ts';
import { crontab, taskCatalog } from './catalog.ts';
import type { TaskDefinition } from './task.ts';

export interface WorkerDeps {
  orm: MikroORM;
  clock: Clock;
  logger: Logger;
  secretBox: SecretBox;
  engine: WebhookEngine;
}

/** Adapts the catalogue to graphile-worker: validate the payload, give each job its own EntityManager. */
export function buildTaskList(deps: WorkerDeps): TaskList {
  const list: TaskList = {};
  for (const [name, task] of Object.entries(taskCatalog) as [string, TaskDefinition][]) {
    list[name] = async (payload, helpers) => {
      const parsed = task.payload.parse(payload);
      const logger = deps.logger.child({ task: name, jobId: helpers.job.id });
      await task.run(parsed, { ...deps, em: deps.orm.em.fork(), logger }, helpers);
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

const PUMP_POLL_MS = 500;

const pumpOptions = (deps: WorkerDeps) => ({ ...DEFAULT_PUMP_OPTIONS, leaseMs: deps.engine.leaseMs });

/**
 * Moves due deliveries into jobs whenever woken (in-process signal or another process's
 * NOTIFY), and at least every PUMP_POLL_MS for retries coming due and expired leases.
 */
async function startPump(deps: WorkerDeps, databaseUrl: string, signal: OutboxSignal | undefined) {
  let stopped = false;
  let wake: () => void = () => {};
  const onWake = () => wake();
  signal?.on('deliveries', onWake);
  const unlisten = await listenForOutbox(databaseUrl, onWake, {
    onError: (err) =>
      deps.logger.warn({ err }, 'outbox LISTEN connection lost; reconnecting (the pump polls meanwhile)'),
  });
  const loop = (async () => {
    while (!stopped) {
      let moved = 0;
      try {
        moved = await pumpDueDeliveries(deps.orm.em.fork(), deps.clock, pumpOptions(deps));
      } catch (err) {
        deps.logger.error({ err }, 'delivery pump failed; retrying');
      }
      if (moved >= DEFAULT_PUMP_OPTIONS.maxPerCycle || stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, PUMP_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return async () => {
    stopped = true;
    wake();
    await loop;
    signal?.off('deliveries', onWake);
    await unlisten();
  };
}

export async function startWorker(
  deps: WorkerDeps,
  options: { databaseUrl: string; concurrency: number; signal?: OutboxSignal },
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
  const stopPump = await startPump(deps, options.databaseUrl, options.signal);
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
      await stopPump();
      if (running) await runner.stop();
      running = false;
    },
  };
}

/**
 * Runs everything that is due to completion, then returns: pump deliveries into jobs, run
 * the jobs, repeat until both are empty. How tests (and one-shot operators) drain, without sleeping.
 */
export async function drainJobs(deps: WorkerDeps, databaseUrl: string): Promise<void> {
  const taskList = buildTaskList(deps);
  const pump = () => pumpDueDeliveries(deps.orm.em.fork(), deps.clock, pumpOptions(deps));
  await pump();
  for (let round = 0; round < 1000; round++) {
    await runOnce({ connectionString: databaseUrl, taskList, logger: workerLogger(deps.logger) });
    // Jobs may record events (expiry, for one): their deliveries need another round.
    if ((await pump()) === 0) return;
  }
  throw new Error('drainJobs: still finding due deliveries after 1000 rounds');
}
