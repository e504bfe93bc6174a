import { namedOperations } from '../../server/api/operations/index.ts';

/** A tRPC query: its procedure name and input. */
export interface TrpcCall {
  procedure: string;
  input: Record<string, string>;
}

const routes = namedOperations()
  .filter(([, op]) => op.method === 'get')
  .map(([procedure, op]) => {
    const names: string[] = [];
    const pattern = op.path.replace(/:([a-z_]+)/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { procedure, names, regex: new RegExp(`^${pattern}$`) };
  });

/**
 * The tRPC call that serves the same operation as a partner REST GET (`/partners/{id}/…?…`,
 * relative to `/api/v2`): the path's ids but the partner's, and the query's fields, as input.
 * Both transports come from one declaration per operation, so this is a lookup, not a mapping.
 */
export function trpcCallOf(restPath: string): TrpcCall {
  const url = new URL(restPath, 'http://x');
  const input: Record<string, string> = Object.fromEntries(url.searchParams);
  for (const route of routes) {
    const values = route.regex.exec(url.pathname)?.slice(1);
    if (!values) continue;
    route.names.forEach((name, i) => {
      if (name !== 'partner_id') input[name] = decodeURIComponent(values[i]!);
    });
    return { procedure: route.procedure, input };
  }
  throw new Error(`no partner GET operation serves ${url.pathname}`);
}

/** The URL path of a tRPC query call, as the SDK's client sends it without batching. */
export function trpcPathOf(call: TrpcCall): string {
  return `/trpc/${call.procedure}?input=${encodeURIComponent(JSON.stringify(call.input))}`;
}
