import { AppError } from '../errors.ts';

/**
 * How deeply request JSON may nest. No API object comes close; anything deeper is an attack
 * on recursive code further on (fingerprints, serialisers, validators), which would overflow
 * the stack.
 */
export const MAX_JSON_DEPTH = 32;

/** Iterative, so hostile nesting cannot overflow the stack while it is being measured. */
export function jsonDepthExceeds(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const pending: Array<{ value: object; depth: number }> = [];
  if (value !== null && typeof value === 'object') pending.push({ value, depth: 1 });
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.depth > max) return true;
    for (const child of Object.values(next.value)) {
      if (child !== null && typeof child === 'object') pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  return false;
}

export function assertJsonDepth(value: unknown, what: string): void {
  if (jsonDepthExceeds(value)) {
    throw new AppError('validation_failed', `${what} is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
}
