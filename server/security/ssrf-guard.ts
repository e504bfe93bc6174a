import dns from 'node:dns';
import net from 'node:net';
import { type AddressProblem, addressProblem } from './address-policy.ts';
import { isLoopbackHost, type UrlPolicy } from './url-policy.ts';

export interface TargetPolicy {
  /** Production: https only (plain http to a loopback host stays possible with `allowLoopback`). */
  requireHttps: boolean;
  /** Tests and the local demo deliver to 127.0.0.1; nothing else private is ever allowed. */
  allowLoopback: boolean;
}

/** The connect-time view of the process's URL policy. */
export function targetPolicyOf(policy: UrlPolicy): TargetPolicy {
  return { requireHttps: policy.requireHttps, allowLoopback: policy.allowLocalhost };
}

/** What kind of target was refused: shown to partners and stored in attempts, never the address. */
export type BlockedCategory = AddressProblem | 'scheme_not_allowed' | 'credentials_in_url';

export class BlockedTargetError extends Error {
  override name = 'BlockedTargetError';
  readonly category: BlockedCategory;
  constructor(category: BlockedCategory) {
    super(category);
    this.category = category;
  }
}

/** Throws unless `address` is public unicast (or loopback when allowed); see address-policy.ts. */
export function assertAllowedAddress(address: string, policy: TargetPolicy): void {
  const problem = addressProblem(address, policy.allowLoopback);
  if (problem) throw new BlockedTargetError(problem);
}

/** Checks what can be checked before connecting: scheme, credentials, and literal IP hosts. */
export function assertAllowedUrl(raw: string, policy: TargetPolicy): URL {
  const url = new URL(raw);
  // What ALLOW_LOCALHOST_URLS lets a partner save (http to a loopback host) must also be sendable.
  const plainHttpAllowed = !policy.requireHttps || (policy.allowLoopback && isLoopbackHost(url.hostname));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainHttpAllowed)) {
    throw new BlockedTargetError('scheme_not_allowed');
  }
  if (url.username || url.password) throw new BlockedTargetError('credentials_in_url');
  // undici's lookup hook never sees literal IPs, so they are judged here.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) assertAllowedAddress(host, policy);
  return url;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for the HTTP client's connections: resolves, then refuses the connection if
 * any address is not allowed. Running at connect time defeats DNS rebinding between a check
 * and the request.
 */
export function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      try {
        for (const a of addresses) assertAllowedAddress(a.address, policy);
      } catch (blocked) {
        return callback(blocked as NodeJS.ErrnoException, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
