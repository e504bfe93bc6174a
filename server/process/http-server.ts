import { createServer, type RequestListener, type Server } from 'node:http';
import type { Express } from 'express';
import type { HttpLimits } from '../config/env.ts';

/**
 * How often Node looks for connections over their headers or request timeout. Its default,
 * 30 s, would let a slow client hold a connection up to 30 s past the configured limit.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * The hub's HTTP server: every connection must send its headers within `headersTimeoutMs` and
 * its whole request within `requestTimeoutMs` (else 408 and closed), idles at most
 * `keepAliveTimeoutMs`, and at most `maxConnections` are open at once (more are closed on
 * accept), so slow or idle clients cannot pile up.
 */
export function createHttpServer(limits: HttpLimits, listener: RequestListener): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  return server;
}

export async function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** Stops accepting connections and lets in-flight requests finish, cutting them off after `timeoutMs`. */
export async function drain(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await closed;
  clearTimeout(timer);
}
