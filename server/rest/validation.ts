import type { z } from 'zod';
import { AppError } from '../errors.ts';

/** zod issues as a stable, compact list: where, and what is wrong. */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

export function parseOrFail<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'path' | 'query' | 'body' | 'header',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const first = issues[0];
  const message = first
    ? `Invalid ${where}: ${first.path ? `${first.path}: ` : ''}${first.message}`
    : `Invalid ${where}`;
  throw new AppError('validation_failed', message, { issues });
}
