import { isIP } from 'node:net';
import { AppError } from '../errors.ts';
import { addressProblem } from './address-policy.ts';

/**
 * What the hub accepts from partners as URLs and where it may send requests. One per process:
 * resolved from config at startup (hub.ts) and handed along in the hub.
 */
export interface UrlPolicy {
  /**
   * Plain http is accepted only for loopback hosts, and loopback addresses are reachable, only
   * when this is on (ALLOW_LOCALHOST_URLS: development, tests, the local demo).
   */
  allowLocalhost: boolean;
  /** Outgoing requests (webhooks, onboarding preflights, the sandbox's callbacks) use https only: production. */
  requireHttps: boolean;
}

export function urlPolicyFor(config: { allowLocalhostUrls: boolean; nodeEnv: string }): UrlPolicy {
  return { allowLocalhost: config.allowLocalhostUrls, requireHttps: config.nodeEnv === 'production' };
}

/** The part of the policy that judges a partner-supplied URL when it is saved. */
export type SavedUrlPolicy = Pick<UrlPolicy, 'allowLocalhost'>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return (
    LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}

/**
 * Validates a partner-supplied URL (webhook or redirect): https, or http to a loopback
 * host when the policy allows it. `field` names it in the error.
 */
export function assertAcceptableUrl(value: string, field: string, policy: SavedUrlPolicy): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('validation_failed', `${field} must be an absolute URL`, { field });
  }
  if (url.username || url.password) {
    throw new AppError('validation_failed', `${field} must not contain credentials`, { field });
  }
  if (url.protocol === 'https:') return url.toString();
  if (url.protocol === 'http:' && policy.allowLocalhost && isLoopbackHost(url.hostname))
    return url.toString();
  const expected = policy.allowLocalhost ? 'https (or http to localhost)' : 'https';
  throw new AppError('validation_failed', `${field} must use ${expected}`, { field });
}

/**
 * A URL the hub will POST to: acceptable as above, and not a literal private, loopback or
 * reserved IP address. Checked when the URL is set, so a partner learns at once; delivery
 * checks again at connect time, which also covers hostnames resolving to such addresses.
 */
export function assertWebhookUrl(value: string, field: string, policy: SavedUrlPolicy): string {
  const normalised = assertAcceptableUrl(value, field, policy);
  const host = new URL(normalised).hostname.replace(/^\[|\]$/g, '');
  const problem = isIP(host) ? addressProblem(host, policy.allowLocalhost) : null;
  if (problem) {
    throw new AppError(
      'webhook_url_not_allowed',
      `${field} must not point to a private, loopback or reserved address`,
      { field, category: problem },
    );
  }
  return normalised;
}
