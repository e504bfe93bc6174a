import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';

/**
 * With `queryBound` below, the only way this code base issues raw SQL. It runs on the EntityManager it is given, so
 * inside `em.transactional(...)` the statement is part of that transaction.
 * (`em.getConnection().execute` would take another pooled connection in autocommit: a write
 * that silently escapes the transaction. Lint forbids it: see biome-plugins/.)
 */
export function query<T extends object = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  return em.execute<T[]>(text, params as unknown[]);
}

/** Runs a statement and returns how many rows it changed. */
export async function run(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<number> {
  const result = await em.execute<{ affectedRows: number }>(text, params as unknown[], 'run');
  return result.affectedRows;
}

/** Throws unless `em` is inside a transaction: for writes that must commit with the caller's change. */
export function assertInTransaction(em: EntityManager, what: string): void {
  if (!em.isInTransaction()) {
    throw new Error(
      `${what} must run inside a transaction (em.transactional), with the change it belongs to`,
    );
  }
}

/**
 * The ORM's driver hands raw timestamps back as text; rows that are computed with go through
 * this, so comparisons work on dates.
 */
export function withDates<T extends object, K extends keyof T>(row: T, keys: readonly K[]): T {
  for (const key of keys) {
    const value = row[key];
    if (typeof value === 'string') (row as Record<K, unknown>)[key] = new Date(value);
  }
  return row;
}

/**
 * Like `query`, with the parameters bound by PostgreSQL (`$1`, `$2`, … in `text`) instead of
 * escaped into the statement by the ORM: for the hot statements that carry large values (event
 * bodies, batches as JSON), where escaping them character by character cost a busy worker
 * about 4 % of its CPU and PostgreSQL a longer parse. Runs on the EntityManager's transaction.
 */
export async function queryBound<T extends object = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  params: readonly unknown[],
): Promise<T[]> {
  try {
    const result = await em.getKysely().executeQuery<T>(CompiledQuery.raw(text, [...params]));
    return result.rows;
  } catch (err) {
    throw err instanceof Error ? em.getDriver().convertException(err) : err;
  }
}
