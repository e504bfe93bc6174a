import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';

/** Whether `err` is PostgreSQL refusing a row for the unique constraint named `constraint`. */
export function violatesUnique(err: unknown, constraint: string): boolean {
  return (
    err instanceof UniqueConstraintViolationException &&
    (err as { constraint?: string }).constraint === constraint
  );
}
