import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

export interface TargetPolicy {
  /** Production: https only. */
  requireHttps: boolean;
  /** Tests and the local demo deliver to 127.0.0.1; nothing else private is ever allowed. */
  allowLoopback: boolean;
}

export class BlockedTargetError extends Error {
  override name = 'BlockedTargetError';
}

/**
 * Only public unicast addresses are reachable. IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged
 * as the IPv4 address it carries, so it cannot smuggle a private target past the check.
 */
export function assertAllowedAddress(address: string, policy: TargetPolicy): void {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    throw new BlockedTargetError(`not an IP address: ${address}`);
  }
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress())
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (range === 'unicast') return;
  if (range === 'loopback' && policy.allowLoopback) return;
  throw new BlockedTargetError(`${address} is a ${range} address`);
}

/** Checks what can be checked before connecting: scheme, credentials, and literal IP hosts. */
export function assertAllowedUrl(raw: string, policy: TargetPolicy): URL {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !policy.requireHttps)) {
    throw new BlockedTargetError(`${url.protocol} URLs are not allowed here`);
  }
  if (url.username || url.password) throw new BlockedTargetError('URLs with credentials are not allowed');
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
