import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Express } from 'express';
import { afterAll, beforeAll, vi } from 'vitest';
import { createApp } from '../../server/app.ts';
import { type HubConfig, parseConfig } from '../../server/config/env.ts';
import { type Hub, openHub } from '../../server/hub.ts';
import { drainJobs } from '../../server/jobs/worker.ts';
import { createLogger } from '../../server/logger.ts';
import { createHttpServer } from '../../server/process/http-server.ts';
import { createContextInner } from '../../server/trpc/context.ts';
import { createCaller } from '../../server/trpc/router.ts';
import { TestClock } from './clock.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const TEST_HUB_SECRET = 'test-secret-test-secret-test-secret!';

export interface TestHub {
  databaseUrl: string;
  orm: MikroORM;
  deps: Hub;
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
  let opened: Hub;
  let server: Server | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    const settings = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      HUB_SECRET: TEST_HUB_SECRET,
      // Test hubs run the Meta sandbox on purpose, also under NODE_ENV=production.
      ...(env.META_APP_ID ? {} : { META_MODE: 'sandbox' }),
    };
    let publicUrl: Record<string, string> = {};
    if (options.listen) {
      // Listen first: PUBLIC_URL must name the real port before the config is parsed. The
      // server is the one `npm start` runs, with its limits and its answers to malformed HTTP.
      server = createHttpServer(parseConfig({ ...settings, ...env }).http, (req, res) => hub.app(req, res));
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      publicUrl = { PUBLIC_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    }
    const config: HubConfig = parseConfig({ ...settings, ...publicUrl, ...env });
    const logger = createLogger('silent');
    const clock = new TestClock(new Date());
    const deps = await openHub(config, logger, { poolMax: 5, clock, workerStatus: () => 'running' });
    opened = deps;
    Object.assign(hub, {
      databaseUrl: db.url,
      orm: deps.orm,
      deps,
      app: createApp(deps),
      url: config.publicUrl,
      clock,
      em: () => deps.orm.em.fork(),
      trpc: (credential?: string, headers?: { idempotencyKey?: string }) =>
        createCaller(createContextInner({ deps, credential, idempotencyKey: headers?.idempotencyKey })),
      drainJobs: () => asIfNowWere(clock, () => drainJobs(deps)),
    } satisfies TestHub);
  });

  afterAll(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
    }
    await opened?.close();
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
