import ipaddr from 'ipaddr.js';
import { AppError } from '../errors.ts';
import type { RateLimits } from '../modules/rate-limits/rate-limits.ts';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** An IPv4 address in canonical form, bare or IPv4-mapped (as a dual-stack socket reports it). */
const CANONICAL_IPV4 = new RegExp(`^(?:::ffff:)?((?:${OCTET}\\.){3}${OCTET})$`);

/**
 * Whom a failure is charged to: an IPv4 address (also when IPv4-mapped), or an IPv6 address's
 * /64, since one subscriber usually holds a whole /64 and could otherwise rotate through it.
 */
export function addressSubject(ip: string): string {
  // Every request asks: an IPv4 address in canonical form is its own subject, unparsed.
  const ipv4 = CANONICAL_IPV4.exec(ip)?.[1];
  if (ipv4 !== undefined) return ipv4;
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

function refused(seconds: number, setHeaders: (headers: Record<string, string>) => void): AppError {
  setHeaders({ 'Retry-After': String(seconds) });
  return new AppError('rate_limited', `Too many failed authentications; retry in ${seconds} s`, {
    retry_after_seconds: seconds,
  });
}

/**
 * Runs one authentication for a caller at `ip`, charging a failure (401) to the address.
 * Well-formed guesses each cost a database lookup, so an address that has spent its budget
 * is refused with 429 before anything is looked up, whatever it presents. In-process callers
 * (tests, the hosted pages) have no address and are not counted.
 */
export async function withAuthFailureBudget<T>(
  caller: {
    limits: RateLimits;
    ip: string | undefined;
    setHeaders: (headers: Record<string, string>) => void;
  },
  authenticate: () => Promise<T>,
): Promise<T> {
  const { limits, ip, setHeaders } = caller;
  if (ip === undefined) return authenticate();
  const subject = addressSubject(ip);
  const blocked = limits.blockedSeconds(subject, 'auth_failure');
  if (blocked > 0) throw refused(blocked, setHeaders);
  try {
    return await authenticate();
  } catch (err) {
    if (err instanceof AppError && err.code === 'unauthorized') {
      const state = await limits.consume(subject, 'auth_failure');
      if (!state.allowed) throw refused(state.resetSeconds, setHeaders);
    }
    throw err;
  }
}
