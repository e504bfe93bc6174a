import { z } from 'zod';

/**
 * Text every layer below can carry: PostgreSQL refuses NUL in text and jsonb, and a lone
 * UTF-16 surrogate has no UTF-8 encoding (encodeURIComponent throws, drivers mangle it).
 * Refused at the schema, such input is a 400 `validation_failed` instead of a 500 deep down.
 */
export function isSafeText(value: string): boolean {
  return !value.includes('\0') && value.isWellFormed();
}

/** The same test over any JSON value, keys included (free-form `metadata` ends up in jsonb). */
export function isSafeJson(value: unknown): boolean {
  if (typeof value === 'string') return isSafeText(value);
  if (Array.isArray(value)) return value.every(isSafeJson);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([key, v]) => isSafeText(key) && isSafeJson(v));
  }
  return true;
}

export const UNSAFE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

/**
 * The string every input schema starts from, instead of `z.string()` (a test fails on a
 * bare `z.string()` in server/ or shared/, and walks every REST and tRPC input for it).
 */
export const safeString = () => z.string().refine(isSafeText, { message: UNSAFE_TEXT_MESSAGE });

/** For free-form JSON input (records of unknown values): every string inside must be safe. */
export const safeJsonRecord = () =>
  z.record(safeString(), z.unknown()).refine(isSafeJson, { message: UNSAFE_TEXT_MESSAGE });
