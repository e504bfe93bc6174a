import { AppError } from '../errors.ts';
import type {
  PartnerScope,
  RateLimitScope,
  RateLimitState,
  RateLimits,
} from '../modules/rate-limits/rate-limits.ts';

/**
 * Budgets at the edge: spending one for a request, telling the caller in headers, refusing with
 * 429 `rate_limited`. The counting itself is `modules/rate-limits`; this is what HTTP makes of it.
 */

/** IETF RateLimit header fields (structured, draft 10) plus the widespread X-RateLimit-* trio. */
export function rateLimitHeaders(s: RateLimitState, nowMs = Date.now()): Record<string, string> {
  return {
    'RateLimit-Policy': `"${s.scope}";q=${s.limit};w=${s.windowSeconds}`,
    RateLimit: `"${s.scope}";r=${s.remaining};t=${s.resetSeconds}`,
    'X-RateLimit-Limit': String(s.limit),
    'X-RateLimit-Remaining': String(s.remaining),
    'X-RateLimit-Reset': String(Math.ceil(nowMs / 1000) + s.resetSeconds),
    ...(s.allowed ? {} : { 'Retry-After': String(s.resetSeconds) }),
  };
}

const SCOPE_LABEL: Record<RateLimitScope, string> = {
  read: 'read requests',
  write: 'write requests',
  reveal: 'secret reveals',
  login: 'login attempts',
  auth_failure: 'failed authentications',
  login_account: 'login attempts for this account',
  login_ip: 'login attempts from your address',
  login_global: 'login attempts right now',
  signup_ip: 'sign-ups from your address',
  signup_event: 'signup reports from your address',
  coexistence_send: 'messages per second from this coexistence number',
  linked_device_send: 'messages per minute from this linked-device number',
};

/** Spends one unit of the subject's budget, reports it through `setHeaders`, and refuses when it is spent. */
export async function spendBudget(
  limits: RateLimits,
  subject: string,
  scope: RateLimitScope,
  setHeaders: (headers: Record<string, string>) => void,
): Promise<void> {
  enforce(await limits.consume(subject, scope), setHeaders);
}

/**
 * Spends one unit of a partner's budget, shared by all its tokens so minting tokens buys
 * nothing, and of the calling token's cap inside it. The token's cap is spent first: a
 * token over its cap is refused without draining what the partner's other tokens share.
 */
export async function spendPartnerBudget(
  limits: RateLimits,
  caller: { partnerId: string; tokenId: string },
  scope: PartnerScope,
  setHeaders: (headers: Record<string, string>) => void,
): Promise<void> {
  const cap = await limits.consumeTokenCap(caller.tokenId, scope);
  if (cap && !cap.allowed) return enforce(cap, setHeaders);
  const partner = await limits.consume(caller.partnerId, scope);
  // The headers describe whichever budget runs out first.
  enforce(cap && partner.allowed && cap.remaining < partner.remaining ? cap : partner, setHeaders);
}

/** Reports a budget through `setHeaders`, and refuses when it is spent. */
function enforce(state: RateLimitState, setHeaders: (headers: Record<string, string>) => void): void {
  setHeaders(rateLimitHeaders(state));
  if (!state.allowed) {
    throw new AppError(
      'rate_limited',
      `Too many ${SCOPE_LABEL[state.scope]}; retry in ${state.resetSeconds} s`,
      { retry_after_seconds: state.resetSeconds },
    );
  }
}
