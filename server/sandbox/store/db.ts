import { query } from '../../db/sql.ts';
import type { Hub } from '../../hub.ts';

/**
 * Raw SQL against the `sandbox` schema. The emulator's tables are Meta's objects, not the
 * hub's, so they stay out of the ORM's entity model and its schema diff.
 */
export type Query = <T extends object = Record<string, unknown>>(
  sql: string,
  params?: unknown[],
) => Promise<T[]>;

export function queryOn(deps: Pick<Hub, 'orm'>): Query {
  return (sql, params = []) => query(deps.orm.em.fork(), sql, params);
}

/** Runs `work` in one transaction; its `Query` must be used for every statement inside. */
export function inTransaction<T>(deps: Pick<Hub, 'orm'>, work: (q: Query) => Promise<T>): Promise<T> {
  return deps.orm.em.fork().transactional((tx) => work((sql, params = []) => query(tx, sql, params)));
}

/** The driver may hand timestamps back as strings or Dates depending on the column type parser. */
export function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

export function asOptionalDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : asDate(value);
}
