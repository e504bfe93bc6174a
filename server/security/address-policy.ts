import ipaddr from 'ipaddr.js';

/**
 * Why an address may not be the target of an outgoing request, or null when it may: only
 * public unicast addresses are reachable (loopback too when `allowLoopback`, for tests and
 * the local demo). Answers name a category, never the address: callers show it to partners.
 */
export type AddressProblem = 'private_address' | 'not_an_ip_address';

export function addressProblem(address: string, allowLoopback: boolean): AddressProblem | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return 'not_an_ip_address';
  }
  if (ip.kind() === 'ipv6') ip = carriedIPv4(ip as ipaddr.IPv6) ?? ip;
  const range = ip.range();
  if (range === 'unicast' || (range === 'loopback' && allowLoopback)) return null;
  return 'private_address';
}

/**
 * The IPv4 address an IPv6 form carries, judged as that address so it cannot smuggle a
 * private target past the check: IPv4-mapped (::ffff:10.0.0.1) and IPv4-compatible
 * (::10.0.0.1, also written ::a00:1, which ipaddr.js calls plain unicast). NAT64
 * (64:ff9b::/96, 64:ff9b:1::/48) needs nothing here: ipaddr.js never calls it unicast.
 */
function carriedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  if (ip.isIPv4MappedAddress()) return ip.toIPv4Address();
  const [a, b, c, d, e, f, g, h] = ip.parts as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // :: and ::1 are the IPv6 unspecified and loopback addresses, not IPv4-compatible ones.
  if (a || b || c || d || e || f || g === 0) return null;
  return new ipaddr.IPv4([g >> 8, g & 0xff, h >> 8, h & 0xff]);
}
