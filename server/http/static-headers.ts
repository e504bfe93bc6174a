import type { IncomingMessage, ServerResponse } from 'node:http';

type HeaderMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The headers a middleware that sets the same headers on every response (helmet with static
 * directives, no-store) sets, as `[name, value, name, value, …]`, taken once by running it on a
 * recording response. A route served on the bare Node request hands them to `writeHead` in one
 * go instead of running the middleware per request.
 */
export function headersSetBy(...middlewares: HeaderMiddleware[]): string[] {
  const headers = new Map<string, [string, string]>();
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers.set(name.toLowerCase(), [name, String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase())?.[1];
    },
  } as unknown as ServerResponse;
  const request = { headers: {}, method: 'GET', url: '/' } as IncomingMessage;
  for (const middleware of middlewares) {
    let called = false;
    middleware(request, recorder, (err) => {
      if (err) throw err;
      called = true;
    });
    // A middleware that answers on its own or goes on later is not one whose headers are static.
    if (!called) throw new Error('headersSetBy: the middleware did not go on synchronously');
  }
  return [...headers.values()].flat();
}
