import { createHash } from 'node:crypto';
import { stripeErrors } from './errors.ts';
import type { Params } from './params.ts';

/**
 * What a test card does. `authenticate`: the SetupIntent needs 3-D Secure, later off-session
 * charges succeed; `decline_charges`: it is saved fine and every charge is declined.
 */
export type CardBehaviour = 'succeed' | 'decline' | 'insufficient_funds' | 'authenticate' | 'decline_charges';

/** Stripe's documented test cards that the sandbox knows (docs/sandbox.md). */
export const TEST_CARDS: Record<string, { brand: string; behaviour: CardBehaviour }> = {
  '4242424242424242': { brand: 'visa', behaviour: 'succeed' },
  '4000000000000002': { brand: 'visa', behaviour: 'decline' },
  '4000002500003155': { brand: 'visa', behaviour: 'authenticate' },
  '4000000000009995': { brand: 'visa', behaviour: 'insufficient_funds' },
  '4000000000000341': { brand: 'visa', behaviour: 'decline_charges' },
};

export interface Decline {
  code: 'card_declined';
  decline_code: string;
  message: string;
}

const declined = (declineCode: string, message: string): Decline => ({
  code: 'card_declined',
  decline_code: declineCode,
  message,
});

export const DECLINES: Record<string, Decline> = {
  generic_decline: declined('generic_decline', 'Your card was declined.'),
  insufficient_funds: declined('insufficient_funds', 'Your card has insufficient funds.'),
};

/** Why saving this card fails, or null. */
export function setupDecline(behaviour: CardBehaviour): Decline | null {
  if (behaviour === 'decline') return DECLINES.generic_decline!;
  if (behaviour === 'insufficient_funds') return DECLINES.insufficient_funds!;
  return null;
}

/** Why charging this card fails, or null; `_charge_decline` is set through the control API. */
export function chargeDecline(behaviour: CardBehaviour, override: string | undefined): Decline | null {
  if (override) return DECLINES[override] ?? DECLINES.generic_decline!;
  if (behaviour === 'decline' || behaviour === 'decline_charges') return DECLINES.generic_decline!;
  if (behaviour === 'insufficient_funds') return DECLINES.insufficient_funds!;
  return null;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export interface CheckedCard {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  behaviour: CardBehaviour;
  fingerprint: string;
}

/**
 * Checks `card[number|exp_month|exp_year|cvc]` as Stripe does, answering its card errors. Only
 * what is returned is kept: never the number or the CVC.
 */
export function checkCard(card: Params, now: Date, prefix: string): CheckedCard {
  const field = (name: string) => {
    const value = card[name];
    if (value === undefined || value === '') throw stripeErrors.missing(`${prefix}[${name}]`);
    if (typeof value !== 'string') throw stripeErrors.invalidParam(`${prefix}[${name}]`, `Invalid ${name}`);
    return value.replace(/\s+/g, '');
  };
  const number = field('number');
  const param = (name: string) => ({ param: `${prefix}[${name}]` });
  const known = TEST_CARDS[number];
  if (!/^\d{12,19}$/.test(number) || !luhn(number) || !known) {
    throw stripeErrors.card('incorrect_number', 'Your card number is incorrect.', param('number'));
  }
  const month = Number(field('exp_month'));
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw stripeErrors.card(
      'invalid_expiry_month',
      "Your card's expiration month is invalid.",
      param('exp_month'),
    );
  }
  let year = Number(field('exp_year'));
  if (Number.isInteger(year) && year < 100) year += 2000;
  const thisYear = now.getUTCFullYear();
  if (!Number.isInteger(year) || year < thisYear || year > thisYear + 50) {
    const message =
      year < thisYear
        ? "Your card's expiration year is in the past."
        : "Your card's expiration year is invalid.";
    throw stripeErrors.card('invalid_expiry_year', message, param('exp_year'));
  }
  if (year === thisYear && month < now.getUTCMonth() + 1) {
    throw stripeErrors.card(
      'invalid_expiry_month',
      "Your card's expiration date is in the past.",
      param('exp_month'),
    );
  }
  if (!/^\d{3}$/.test(field('cvc'))) {
    throw stripeErrors.card('invalid_cvc', "Your card's security code is invalid.", param('cvc'));
  }
  const last4 = number.slice(-4);
  return {
    brand: known.brand,
    last4,
    expMonth: month,
    expYear: year,
    behaviour: known.behaviour,
    // Stable per test card and expiry, as Stripe's is per card number; not derived from the number.
    fingerprint: createHash('sha256')
      .update(`${known.behaviour}:${last4}:${month}/${year}`)
      .digest('base64url')
      .slice(0, 16),
  };
}
