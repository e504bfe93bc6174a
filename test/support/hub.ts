import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Express } from 'express';
import { afterAll, beforeAll, vi } from 'vitest';
import { createApp } from '../../server/app.ts';
import { type HubConfig, parseConfig } from '../../server/config/env.ts';
import { type AppDeps, appDepsFrom, workerDepsFrom } from '../../server/deps.ts';
import { drainJobs } from '../../server/jobs/worker.ts';
import { createLogger } from '../../server/logger.ts';
import { openRuntime, type Runtime } from '../../server/runtime.ts';
import { createContextInner } from '../../server/trpc/context.ts';
import { createCaller } from '../../server/trpc/router.ts';
import { TestClock } from './clock.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const TEST_HUB_SECRET = 'test-secret-test-secret-test-secret!';

export interface TestHub {
  databaseUrl: string;
  orm: MikroORM;
  deps: AppDeps;
  app: Express;
  /** With `listen: true`: the hub's loopback origin, also its PUBLIC_URL (so the sandbox Graph is reachable). */
  url: string;
  clock: TestClock;
  /** A fresh EntityManager, as a request would get. */
  em(): EntityManager;
  /** A tRPC caller presenting `credential` as its partner token (no HTTP in between). */
  trpc(credential?: string, headers?: { idempotencyKey?: string }): ReturnType<typeof createCaller>;
  /** Runs every due job to completion: deterministic, no sleeping. */
  drainJobs(): Promise<void>;
}

/** Gives the calling test file its own migrated database and an app wired to it, as `npm start` wires it. */
export function useTestHub(env: Record<string, string> = {}, options: { listen?: boolean } = {}): TestHub {
  const hub = {} as TestHub;
  let db: TestDatabase;
  let runtime: Runtime;
  let server: Server | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    let publicUrl: Record<string, string> = {};
    if (options.listen) {
      // Listen first: PUBLIC_URL must name the real port before the config is parsed.
      server = createServer((req, res) => hub.app(req, res));
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      publicUrl = { PUBLIC_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    }
    const config: HubConfig = parseConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      HUB_SECRET: TEST_HUB_SECRET,
      // Test hubs run the Meta sandbox on purpose, also under NODE_ENV=production.
      ...(env.META_APP_ID ? {} : { META_MODE: 'sandbox' }),
      ...publicUrl,
      ...env,
    });
    const logger = createLogger('silent');
    runtime = await openRuntime(config, logger, { poolMax: 5 });
    const clock = new TestClock(new Date());
    const deps = appDepsFrom(runtime, { clock, workerStatus: () => 'running' });
    Object.assign(hub, {
      databaseUrl: db.url,
      orm: runtime.orm,
      deps,
      app: createApp(deps),
      url: config.publicUrl,
      clock,
      em: () => runtime.orm.em.fork(),
      trpc: (credential?: string, headers?: { idempotencyKey?: string }) =>
        createCaller(createContextInner({ deps, credential, idempotencyKey: headers?.idempotencyKey })),
      drainJobs: () => asIfNowWere(clock, () => drainJobs(workerDepsFrom(runtime, clock), db.url)),
    } satisfies TestHub);
  });

  afterAll(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
    }
    await runtime?.close();
    await db?.drop();
  });

  return hub;
}

/**
 * graphile-worker decides which jobs are due by Node's clock in `drainJobs`; for the drain,
 * Node's clock reads the test's movable clock, so a retry scheduled "in 5 minutes" runs exactly
 * when the test has moved its clock 5 minutes on.
 */
async function asIfNowWere<T>(clock: TestClock, fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: clock.now() });
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}
