import type { Partner } from './partner.entity.ts';

/** Exact matches only: one of the partner's `allowed_redirect_urls`, or its own `partner_redirect_url`. */
export function isAllowedRedirect(partner: Partner, url: string): boolean {
  return partner.allowedRedirectUrls.includes(url) || partner.partnerRedirectUrl === url;
}
