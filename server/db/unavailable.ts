/**
 * "The database cannot be reached right now": the server is down, restarting, recovering,
 * failing over or full. These pass on their own, so the HTTP edges answer 503 with
 * Retry-After and boot waits, while every other database error stays a bug or a config error.
 */

/** Socket-level failures, as node-postgres reports them (from net, or from DNS that is briefly down). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that mean "not now" rather than "never": 57P01 admin_shutdown, 57P02
 * crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, in recovery),
 * 53300 too_many_connections. Class 08 (connection exception) is matched as a class.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONNECTION_CLASS = /^08[0-9A-Z]{3}$/;
/**
 * 08P01 is in the connection class but is the message's fault, not the server's: a NUL byte in a
 * parameter sent through MikroORM comes back as it. Retrying would fail the same way, so it is a
 * bug to answer 500 for (and to fix at the edge's validation), never a 503 with Retry-After.
 */
const PROTOCOL_VIOLATION = '08P01';

/** node-postgres and pg-pool throw plain Errors with these messages when a connection dies or never opens. */
const MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

/** MikroORM's DriverException copies the driver error's fields, so `code` survives; `sqlState` is the ORM's spelling. */
function matches(err: object): boolean {
  const { code, sqlState, message } = err as { code?: unknown; sqlState?: unknown; message?: unknown };
  for (const state of [code, sqlState]) {
    if (typeof state !== 'string') continue;
    if (
      NETWORK_CODES.has(state) ||
      SQLSTATES.has(state) ||
      (CONNECTION_CLASS.test(state) && state !== PROTOCOL_VIOLATION)
    )
      return true;
  }
  return typeof message === 'string' && MESSAGES.some((m) => message.startsWith(m));
}

/**
 * The error in `err`'s chain (itself, its `cause`s, an AggregateError's `errors`) that says
 * the database is unreachable, or undefined. Bounded, so a cyclic chain cannot hang it.
 */
function unavailableLink(err: unknown): object | undefined {
  const queue: unknown[] = [err];
  const seen = new Set<unknown>();
  while (queue.length > 0 && seen.size < 32) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (matches(current)) return current;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return undefined;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  return unavailableLink(err) !== undefined;
}

/** A short, log-only description of why (never sent to clients: it can name hosts and ports). */
export function unavailableReason(err: unknown): string | undefined {
  const link = unavailableLink(err) as { code?: unknown; message?: unknown } | undefined;
  if (!link) return undefined;
  return typeof link.message === 'string' && link.message ? link.message : String(link.code);
}
