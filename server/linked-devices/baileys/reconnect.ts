import { DisconnectReason as WA } from 'baileys';

/** The stable code the hub reports for a Baileys close status (a Boom status code). */
export function disconnectCode(status: number | undefined): string {
  switch (status) {
    case undefined:
      return 'connection_closed';
    // Baileys uses 408 for both a lost connection (no answer to keep-alives) and a timed-out QR or query.
    case WA.connectionLost:
      return 'connection_lost';
    case WA.connectionClosed:
      return 'connection_closed';
    case WA.connectionReplaced:
      return 'replaced';
    case WA.loggedOut:
      return 'logged_out';
    case WA.badSession:
      return 'bad_session';
    case WA.restartRequired:
      return 'restart_required';
    case WA.multideviceMismatch:
      return 'multidevice_mismatch';
    case WA.forbidden:
      return 'forbidden';
    case WA.unavailableService:
      return 'unavailable_service';
    default:
      return `status_${status}`;
  }
}

/** The Boom status code of the error a socket closed with, if it carries one. */
export function statusOf(error: unknown): number | undefined {
  const output = (error as { output?: { statusCode?: unknown } } | undefined)?.output;
  return typeof output?.statusCode === 'number' ? output.statusCode : undefined;
}

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000 };

/**
 * The wait before reconnection attempt `attempt` (0-based): doubling from `initialMs`, capped at
 * `maxMs`, and "equal jitter" (half fixed, half random) so that many devices dropped by one
 * network blip do not all come back in the same second.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
