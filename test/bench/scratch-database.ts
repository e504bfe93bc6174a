import { randomBytes } from 'node:crypto';
import { adminQuery, databaseUrlFor } from '../support/admin.ts';

/**
 * A throwaway database on the local PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL to change
 * it). BENCH_KEEP_DATABASE=1 keeps it and prints its URL, to study a seeded database's plans.
 */
export async function withScratchDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const adminUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `hub_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  try {
    return await fn(databaseUrlFor(adminUrl, name));
  } finally {
    if (process.env.BENCH_KEEP_DATABASE === '1')
      process.stderr.write(`kept ${databaseUrlFor(adminUrl, name)} (drop it when done)\n`);
    else await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  }
}
