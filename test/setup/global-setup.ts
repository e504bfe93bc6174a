import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../server/db/migrate.ts';
import { createOrm } from '../../server/db/orm.ts';
import { adminQuery, databaseUrlFor } from '../support/admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

/**
 * Migrates one template database for the whole run; each test file then clones it with
 * `CREATE DATABASE … TEMPLATE`, which is far faster than migrating per file.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
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
