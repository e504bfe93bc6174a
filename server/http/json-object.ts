import { AppError } from '../errors.ts';

/** Parses a raw body that must be a JSON object; the raw bytes stay available to the caller (signatures, forwarding). */
export function parseJsonObject(raw: Buffer, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('invalid_json', `${what} is not valid JSON`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AppError('validation_failed', `${what} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
