import { AppError } from '../errors.ts';
import type { RateLimits } from '../modules/rate-limits/rate-limits.ts';

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
  const blocked = limits.blockedSeconds(ip, 'auth_failure');
  if (blocked > 0) throw refused(blocked, setHeaders);
  try {
    return await authenticate();
  } catch (err) {
    if (err instanceof AppError && err.code === 'unauthorized') {
      const state = await limits.consume(ip, 'auth_failure');
      if (!state.allowed) throw refused(state.resetSeconds, setHeaders);
    }
    throw err;
  }
}
