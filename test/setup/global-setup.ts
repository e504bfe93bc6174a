import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureConsoleBuilt } from '../../client/console/build.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createOrm } from '../../server/db/orm.ts';
import { adminQuery, databaseUrlFor } from '../support/admin.ts';
import { CHROMIUM_PATH, checkBrowser } from '../support/browser-path.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

/**
 * The run's PostgreSQL: `TEST_DATABASE_URL` when set, otherwise a test cluster of the embedded
 * PostgreSQL the project ships (a temp dir, stopped and removed after the run), so a machine
 * with Node and nothing else runs the suite. Settings that only a throwaway cluster may have:
 * durability off (each test owns its data for seconds), room for two files' hubs and child
 * processes at once.
 */
async function testServer(): Promise<{ adminUrl: string; cluster?: PrivatePostgres }> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { adminUrl: external };
  // Each vitest project runs this setup, possibly from its own copy of this module: they share
  // one cluster through the process's global object, and the last to finish stops it.
  shared.users++;
  shared.cluster ??= startTestCluster();
  const cluster = await shared.cluster;
  return { adminUrl: databaseUrlFor(cluster.url, 'postgres'), cluster };
}

interface SharedCluster {
  cluster?: Promise<PrivatePostgres>;
  users: number;
}
const registry = globalThis as { __partnerHubTestCluster?: SharedCluster };
registry.__partnerHubTestCluster ??= { users: 0 };
const shared: SharedCluster = registry.__partnerHubTestCluster;

async function releaseCluster(): Promise<void> {
  if (--shared.users > 0 || !shared.cluster) return;
  const stopping = shared.cluster;
  shared.cluster = undefined;
  await (await stopping).destroy();
}

async function startTestCluster(): Promise<PrivatePostgres> {
  const started = performance.now();
  const cluster = await startPrivatePostgres({
    migrate: false,
    settings: { max_connections: '300', fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  process.stdout.write(
    `tests: embedded PostgreSQL on 127.0.0.1:${cluster.port} (${Math.round(performance.now() - started)} ms; ` +
      'set TEST_DATABASE_URL to use another server)\n',
  );
  return cluster;
}

/**
 * Migrates one template database for the whole run; each test file then clones it with
 * `CREATE DATABASE … TEMPLATE`, which is far faster than migrating per file.
 */
export default async function setup(project: TestProject) {
  checkBrowser(CHROMIUM_PATH);
  // The console's pages are served from its Vite build: current before any hub serves them.
  await ensureConsoleBuilt();
  const { adminUrl, cluster: local } = await testServer();
  const template = `hub_tmpl_${process.pid}`;
  await assertReachable(adminUrl);
  await adminQuery(adminUrl, `drop database if exists ${template}`);
  await adminQuery(adminUrl, `create database ${template}`);
  const url = databaseUrlFor(adminUrl, template);
  const orm = await createOrm(url, { poolMax: 2 });
  try {
    await migrate(orm, url);
  } finally {
    await orm.close(true);
  }
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    await adminQuery(adminUrl, `drop database if exists ${template} with (force)`);
    if (local) await releaseCluster();
  };
}

async function assertReachable(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `Tests need PostgreSQL at ${adminUrl.replace(/:[^:@/]*@/, ':***@')} (set TEST_DATABASE_URL): ${(err as Error).message}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}
