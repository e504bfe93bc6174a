import { errors } from 'undici';
import { BlockedTargetError } from '../../../security/ssrf-guard.ts';

/**
 * A failed request as a category, never the error's own message: messages such as
 * "connect ECONNREFUSED 10.1.2.3:443" would tell a partner which address its hostname
 * resolved to inside our network. Stored in attempts and shown in errors.
 */
export function failureCategory(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause;
  const blocked = [err, cause].find((e) => e instanceof BlockedTargetError);
  if (blocked) return `blocked: ${blocked.category}`;
  if (isTimeout(err)) return 'timed out';
  const code = [err, cause]
    .map((e) => (e as { code?: unknown })?.code)
    .find((c): c is string => typeof c === 'string');
  if (!code) return 'network_error';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return 'dns_failure';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'connection_reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host_unreachable';
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'tls_error';
  // Other codes are constants like ERR_INVALID_URL: safe to show, and useful.
  return /^[A-Z0-9_]{1,64}$/.test(code) ? `network_error (${code})` : 'network_error';
}

export function isTimeout(err: unknown): boolean {
  return (
    err instanceof errors.HeadersTimeoutError ||
    err instanceof errors.BodyTimeoutError ||
    err instanceof errors.ConnectTimeoutError ||
    (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
  );
}
