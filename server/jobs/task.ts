import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobHelpers } from 'graphile-worker';
import type { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { Retention } from '../config/env.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Logger } from '../logger.ts';
import type { WebhookEngine } from '../modules/webhooks/delivery/engine.ts';

export interface TaskDeps {
  em: EntityManager;
  clock: Clock;
  logger: Logger;
  secretBox: SecretBox;
  engine: WebhookEngine;
  /** Aborted when the worker is asked to stop: long tasks hand their remaining work to a later job. */
  stopping: AbortSignal;
  retention: Retention;
  deadAfterMs: number;
}

export interface TaskDefinition<S extends z.ZodType = z.ZodType> {
  payload: S;
  run(payload: z.infer<S>, deps: TaskDeps, helpers: JobHelpers): Promise<void>;
}

export function defineTask<S extends z.ZodType>(task: TaskDefinition<S>): TaskDefinition<S> {
  return task;
}
