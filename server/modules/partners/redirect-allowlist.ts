import type { Partner } from './partner.entity.ts';

/** What must equal between an allowlisted URL and a requested one: all but the query string. */
function fixedParts(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  // Credentials in a redirect only serve to disguise its host.
  if (url.username !== '' || url.password !== '') return null;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return `${url.protocol}//${url.host}${url.pathname}${url.hash}`;
}

/**
 * The redirect to use for `requested`, or null if it is not allowed: it must match one of the
 * partner's `allowed_redirect_urls` (or its `partner_redirect_url`) on scheme, host, port and
 * path exactly, as parsed by the WHATWG URL parser (which browsers use to follow it), while its
 * query string may differ (Dualhook's `https://app.example.com/done?cust=42`). The answer is
 * the parsed, normalised URL, so what the browser follows is exactly what was checked.
 */
export function allowedRedirect(partner: Partner, requested: string): string | null {
  const wanted = fixedParts(requested);
  if (wanted === null) return null;
  const candidates = [...partner.allowedRedirectUrls, partner.partnerRedirectUrl].filter(
    (u): u is string => typeof u === 'string',
  );
  return candidates.some((allowed) => fixedParts(allowed) === wanted) ? new URL(requested).href : null;
}
