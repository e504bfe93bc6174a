import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Express } from 'express';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config/env.ts';
import { SecretBox } from '../../server/crypto/secret-box.ts';
import { createOrm } from '../../server/db/orm.ts';
import type { AppDeps } from '../../server/deps.ts';
import { drainJobs } from '../../server/jobs/worker.ts';
import { createLogger } from '../../server/logger.ts';
import { createContextInner } from '../../server/trpc/context.ts';
import { createCaller } from '../../server/trpc/router.ts';
import { TestClock } from './clock.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestHub {
  databaseUrl: string;
  orm: MikroORM;
  deps: AppDeps;
  app: Express;
  clock: TestClock;
  /** A fresh EntityManager, as a request would get. */
  em(): EntityManager;
  /** A tRPC caller presenting `credential` as its partner token (no HTTP in between). */
  trpc(credential?: string): ReturnType<typeof createCaller>;
  /** Runs every due job to completion: deterministic, no sleeping. */
  drainJobs(): Promise<void>;
}

/** Gives the calling test file its own migrated database and an app wired to it. */
export function useTestHub(): TestHub {
  const hub = {} as TestHub;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const orm = await createOrm(db.url, { poolMax: 5 });
    const config = parseConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      HUB_SECRET: 'test-secret-test-secret-test-secret!',
    });
    const clock = new TestClock(new Date());
    const logger = createLogger('silent');
    const deps: AppDeps = {
      config,
      orm,
      secretBox: new SecretBox([config.hubSecret!]),
      clock,
      logger,
      workerStatus: () => 'running',
    };
    Object.assign(hub, {
      databaseUrl: db.url,
      orm,
      deps,
      app: createApp(deps),
      clock,
      em: () => orm.em.fork(),
      trpc: (credential?: string) => createCaller(createContextInner({ deps, credential })),
      drainJobs: () => drainJobs({ orm, clock, logger }, db.url),
    } satisfies TestHub);
  });

  afterAll(async () => {
    await hub.orm?.close(true);
    await db?.drop();
  });

  return hub;
}
