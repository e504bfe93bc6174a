import { type IdKind, idPattern } from '../shared/ids.ts';
import { AppError } from './errors.ts';

/**
 * Keyset pagination over time-ordered ids, newest first (logs: oldest first). The cursor is
 * the last id of the previous page, base64url-encoded so clients treat it as opaque.
 */
export function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, kind: IdKind): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!idPattern(kind).test(id))
    throw new AppError('validation_failed', 'cursor is not valid', { field: 'cursor' });
  return id;
}

/** What every paginated list takes (`PaginationQuerySchema`). */
export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `rows` were fetched with `limit + 1`: the extra row only says whether there is a next page. */
export function toPage<T>(rows: T[], limit: number, idOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(idOf(last)) : null };
}
