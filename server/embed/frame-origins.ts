import type { Partner } from '../modules/partners/partner.entity.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An origin a CSP source list can hold as is: https, or http on a loopback host (development). */
function frameOriginOf(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return null;
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    // WHATWG-serialised: scheme, host and port only, nothing a CSP could read as another directive.
    return url.origin;
  return null;
}

/**
 * Where the partner's portal may be framed: the origins of its `allowed_redirect_urls` and
 * `partner_redirect_url`, the addresses of its own product it already registered with the hub
 * (docs/embedding.md). None means `'none'`: the portal cannot be embedded yet.
 */
export function portalFrameAncestors(partner: Partner): string[] {
  const urls = [...partner.allowedRedirectUrls, partner.partnerRedirectUrl].filter(
    (u): u is string => typeof u === 'string',
  );
  const origins = new Set(urls.map(frameOriginOf).filter((o): o is string => o !== null));
  return origins.size > 0 ? [...origins].sort() : ["'none'"];
}
