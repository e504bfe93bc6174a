import { stripeErrors } from './errors.ts';

/** A form body as stripe-node sends it (`a[b][0]=…`), after the bracket parser: nested strings. */
export type Params = Record<string, unknown>;

/** Stripe refuses parameters it does not know, naming the first one: the caller's typo shows at once. */
export function allowOnly(params: Params, allowed: readonly string[]): void {
  // `expand` is accepted everywhere and ignored; on a GET it arrives unparsed, as `expand[0]`.
  const unknown = Object.keys(params).find(
    (name) => !allowed.includes(name) && !/^expand(\[\d*\])?$/.test(name),
  );
  if (unknown !== undefined) throw stripeErrors.unknownParam(unknown);
}

export function optionalString(params: Params, name: string, param = name): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw stripeErrors.invalidParam(param, `Invalid string: ${param}`);
  return value;
}

export function requiredString(params: Params, name: string, param = name): string {
  const value = optionalString(params, name, param);
  if (value === undefined || value === '') throw stripeErrors.missing(param);
  return value;
}

export function optionalInteger(params: Params, name: string, param = name): number | undefined {
  const value = optionalString(params, name, param);
  if (value === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(value)) throw stripeErrors.notInteger(param);
  return Number(value);
}

export function requiredInteger(params: Params, name: string, param = name): number {
  const value = optionalInteger(params, name, param);
  if (value === undefined) throw stripeErrors.missing(param);
  return value;
}

export function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false')
    throw stripeErrors.invalidParam(name, `Invalid boolean: ${value}`);
  return value === 'true';
}

export function oneOf<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (!values.includes(value as T)) {
    throw stripeErrors.invalidParam(name, `Invalid ${name}: must be one of ${values.join(', ')}`);
  }
  return value as T;
}

/** A nested hash (`card[number]`), or undefined. */
export function optionalHash(params: Params, name: string): Params | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw stripeErrors.invalidParam(name, `Invalid object: ${name}`);
  }
  return value as Params;
}

/** A list (`a[0]=x&a[1]=y` or `a[]=x`) of strings. */
export function optionalStringList(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value
      ? Object.values(value)
      : [value];
  if (!list.every((item) => typeof item === 'string'))
    throw stripeErrors.invalidParam(name, `Invalid array: ${name}`);
  return list as string[];
}

/** `metadata[key]=value`; an empty string removes the key, as on Stripe. */
export function metadataUpdate(params: Params, current: Record<string, string> = {}): Record<string, string> {
  const hash = optionalHash(params, 'metadata');
  if (!hash) return current;
  const next = { ...current };
  for (const [key, value] of Object.entries(hash)) {
    if (typeof value !== 'string')
      throw stripeErrors.invalidParam(`metadata[${key}]`, 'Invalid metadata value');
    if (value === '') delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50)
    throw stripeErrors.invalidParam('metadata', 'Metadata can have at most 50 keys');
  return next;
}
