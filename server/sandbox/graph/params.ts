import type { Request } from 'express';

export type Params = Record<string, unknown>;

/**
 * The Graph API takes parameters from the query string or the body, JSON or form-encoded;
 * in form bodies, objects arrive JSON-encoded (`text={"body":"hi"}`). Body wins over query.
 */
export function graphParams(req: Request): Params {
  const params: Params = { ...(req.query as Params) };
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return params;
  const form = req.is('application/x-www-form-urlencoded') !== false;
  for (const [key, value] of Object.entries(body as Params)) {
    params[key] = form && typeof value === 'string' ? decodeFormValue(value) : value;
  }
  return params;
}

function decodeFormValue(value: string): unknown {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

/** A string parameter, or undefined when absent or not a string. */
export function stringParam(params: Params, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' ? v : undefined;
}

/** `fields=a,b{c},d` → ['a','b','d']: nested selections are answered in full. */
export function requestedFields(params: Params): string[] | undefined {
  const raw = stringParam(params, 'fields');
  if (raw === undefined || raw.trim() === '') return undefined;
  const fields: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of raw) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && ch === ',') {
      if (current.trim()) fields.push(current.trim());
      current = '';
    } else if (depth === 0) current += ch;
  }
  if (current.trim()) fields.push(current.trim());
  return fields.map((f) => f.replace(/\.[a-z_]+\(.*\)$/, ''));
}
