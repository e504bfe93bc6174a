import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';

/** RFC 9110 `token`: what a field name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/**
 * RFC 9110 `field-value`, narrowed to ASCII: visible characters with SP or HTAB between them.
 * CR, LF and NUL would let a value split the request (undici refuses them, so every delivery
 * would fail); non-ASCII has no agreed encoding in a header.
 */
const FIELD_VALUE = /^(?:[\x21-\x7e](?:[\t\x20-\x7e]*[\x21-\x7e])?)?$/;

/**
 * Names a partner cannot set: the hub frames and signs the request itself, hop-by-hop fields
 * belong to the connection, and the names that reach an object's prototype are never keys.
 */
const RESERVED =
  /^(content-type|content-length|content-encoding|host|connection|keep-alive|transfer-encoding|te|trailer|upgrade|expect|proxy-.*|webhook-.*|x-hub-.*|__proto__|constructor|prototype)$/i;

export const MAX_CUSTOM_HEADERS = 20;

export function headerNameProblem(name: string): string | null {
  if (!TOKEN.test(name)) return "must be an HTTP token (letters, digits and !#$%&'*+.^_`|~-), at most 100";
  if (RESERVED.test(name)) return 'is set by the hub and cannot be overridden';
  return null;
}

export function headerValueProblem(value: string): string | null {
  return FIELD_VALUE.test(value)
    ? null
    : 'must be visible ASCII characters, with spaces or tabs only between them (no CR, LF or NUL)';
}

export const HeaderNameSchema = safeString().superRefine((name, ctx) => {
  const problem = headerNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(name)} ${problem}` });
});

export const HeaderValueSchema = safeString()
  .max(2000)
  .superRefine((value, ctx) => {
    const problem = headerValueProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * Extra request headers chosen by a partner, as a request schema. zod's record silently drops
 * a `__proto__` key, so the names are first checked on the object as parsed from JSON: a
 * partner who sends one is told, rather than finding it quietly missing.
 */
export const CustomHeadersSchema = z
  .unknown()
  .superRefine((raw, ctx) => {
    if (raw === null || typeof raw !== 'object') return;
    for (const name of Object.keys(raw)) {
      const problem = headerNameProblem(name);
      if (problem)
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(name)} ${problem}`, path: [name] });
    }
  })
  .pipe(
    z.record(HeaderNameSchema, HeaderValueSchema).refine((h) => Object.keys(h).length <= MAX_CUSTOM_HEADERS, {
      message: `at most ${MAX_CUSTOM_HEADERS} headers`,
    }),
  );

/**
 * Only the valid entries, in an object without a prototype: what a delivery sends, so a value
 * stored before these rules existed cannot make every attempt fail.
 */
export function validHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string' || headerNameProblem(name) || headerValueProblem(value)) continue;
    out[name] = value;
  }
  return out;
}
