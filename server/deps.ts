import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from './clock.ts';
import type { HubConfig } from './config/env.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import type { Logger } from './logger.ts';

export type WorkerStatus = 'running' | 'stopped' | 'disabled';

/** Everything the adapters (HTTP, tRPC, jobs, CLI) hand to services. No module-level singletons. */
export interface AppDeps {
  config: HubConfig;
  orm: MikroORM;
  secretBox: SecretBox;
  clock: Clock;
  logger: Logger;
  workerStatus(): WorkerStatus;
}
