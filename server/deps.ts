import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { PartnerTokenCache } from './auth/partner-tokens.ts';
import { type Clock, systemClock } from './clock.ts';
import type { HubConfig, Retention } from './config/env.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import type { Logger } from './logger.ts';
import type { GraphClient } from './meta/graph-client.ts';
import type { MetaApp } from './meta/meta-app.ts';
import type { RateLimits } from './modules/rate-limits/rate-limits.ts';
import type { WebhookEngine } from './modules/webhooks/delivery/engine.ts';
import type { Runtime } from './runtime.ts';
import type { UrlPolicy } from './security/url-policy.ts';

export type WorkerStatus = 'running' | 'stopped' | 'disabled';

/** Everything the adapters (HTTP, tRPC, jobs, CLI) hand to services. No module-level singletons. */
export interface AppDeps {
  config: HubConfig;
  orm: MikroORM;
  secretBox: SecretBox;
  /** The Meta app in use: the real one, or the sandbox's. */
  meta: MetaApp;
  graph: GraphClient;
  clock: Clock;
  logger: Logger;
  rateLimits: RateLimits;
  /** Partner tokens resolved in the last second (auth/partner-tokens.ts). */
  partnerTokens: PartnerTokenCache;
  pgPool: pg.Pool;
  sessionSecret: string;
  /** Used by the API for manual resends; scheduled sending happens in workers. */
  engine: WebhookEngine;
  /** The process's one URL policy (partner URLs, outgoing requests), resolved from config at startup. */
  urlPolicy: UrlPolicy;
  workerStatus(): WorkerStatus;
}

/** What the job worker hands to tasks (each job also gets its own EntityManager: see jobs/task.ts). */
export interface WorkerDeps {
  orm: MikroORM;
  clock: Clock;
  logger: Logger;
  secretBox: SecretBox;
  engine: WebhookEngine;
  retention: Retention;
  /** A worker pool silent this long is dead (see jobs/fence.ts). */
  deadAfterMs: number;
}

export function appDepsFrom(
  runtime: Runtime,
  options: { workerStatus: () => WorkerStatus; clock?: Clock },
): AppDeps {
  return {
    config: runtime.config,
    orm: runtime.orm,
    secretBox: runtime.secretBox,
    meta: runtime.meta,
    graph: runtime.graph,
    rateLimits: runtime.rateLimits,
    partnerTokens: runtime.partnerTokens,
    pgPool: runtime.pgPool,
    sessionSecret: runtime.sessionSecret,
    engine: runtime.engine,
    urlPolicy: runtime.urlPolicy,
    clock: options.clock ?? systemClock,
    logger: runtime.logger,
    workerStatus: options.workerStatus,
  };
}

export function workerDepsFrom(runtime: Runtime, clock: Clock = systemClock): WorkerDeps {
  return {
    orm: runtime.orm,
    clock,
    logger: runtime.logger,
    secretBox: runtime.secretBox,
    engine: runtime.engine,
    retention: runtime.config.retention,
    deadAfterMs: runtime.config.worker.deadAfterMs,
  };
}
