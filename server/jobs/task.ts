import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobHelpers } from 'graphile-worker';
import type { z } from 'zod';
import type { Hub } from '../hub.ts';

/** What a task gets: the hub, with the job's own EntityManager and logger. */
export interface TaskContext extends Hub {
  em: EntityManager;
  /** Aborted when the worker is asked to stop: long tasks hand their remaining work to a later job. */
  stopping: AbortSignal;
}

export interface TaskDefinition<S extends z.ZodType = z.ZodType> {
  payload: S;
  run(payload: z.infer<S>, context: TaskContext, helpers: JobHelpers): Promise<void>;
}

export function defineTask<S extends z.ZodType>(task: TaskDefinition<S>): TaskDefinition<S> {
  return task;
}
