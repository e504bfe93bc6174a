import type { Request, Response } from 'express';
import { spendBudget } from '../http/budgets.ts';
import type { RateLimitScope, RateLimits } from '../modules/rate-limits/rate-limits.ts';

const addressOf = (req: Request) => req.ip ?? 'unknown';

/**
 * Spends every budget one login attempt counts against, refusing with `rate_limited` at the
 * first one spent: the address across all accounts, the whole hub, the account from any
 * address, and the account from this address (last, so a successful answer's RateLimit
 * headers describe the budget a person at the keyboard actually has). `email` must be
 * normalised (`normaliseEmail`), the identity login looks up, so no spelling of an address
 * gets budgets of its own.
 */
export async function spendLoginBudgets(
  limits: RateLimits,
  email: string,
  req: Request,
  res: Response,
): Promise<void> {
  const ip = addressOf(req);
  const budgets: [string, RateLimitScope][] = [
    [ip, 'login_ip'],
    ['all', 'login_global'],
    [email, 'login_account'],
    [`${email}|${ip}`, 'login'],
  ];
  for (const [subject, scope] of budgets) await spendBudget(limits, subject, scope, (h) => res.set(h));
}

/** Sign-ups per address: each one costs a password hash and two rows. */
export function spendSignupBudget(limits: RateLimits, req: Request, res: Response): Promise<void> {
  return spendBudget(limits, addressOf(req), 'signup_ip', (h) => res.set(h));
}

/** Embedded Signup outcomes a page reports, per address: each one writes a row. */
export function spendSignupEventBudget(limits: RateLimits, req: Request, res: Response): Promise<void> {
  return spendBudget(limits, addressOf(req), 'signup_event', (h) => res.set(h));
}
