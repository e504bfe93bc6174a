/**
 * Money in integers only: rates in micros (millionths of the unit: Meta's rates have up to four
 * decimals, a markup adds more), totals in the currency's minor unit (cents), rounding half up
 * once per line. Floating point never touches an amount.
 */

/** Stripe's zero-decimal currencies the hub may bill in: their minor unit is the unit. */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

const MICROS = 1_000_000;

/** `0.1365` → 136500. The input is already checked to have at most 6 decimals. */
export function toMicros(decimal: string): number {
  const [whole, fraction = ''] = decimal.split('.');
  return Number(whole) * MICROS + Number(fraction.padEnd(6, '0'));
}

export function formatMicros(micros: number): string {
  const whole = Math.floor(micros / MICROS);
  const fraction = String(micros % MICROS)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** A markup of `percent` (two decimals at most) in basis points: 12.5 → 1250. */
export const basisPoints = (percent: number): number => Math.round(percent * 100);

/** Meta's rate plus the markup, in micros, rounded half up. */
export function priceWithMarkup(metaMicros: number, markupBasisPoints: number): number {
  return Math.floor((metaMicros * (10_000 + markupBasisPoints) + 5_000) / 10_000);
}

export function minorDigits(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

/** `messages` at `unitMicros` each, in the currency's minor unit, rounded half up. */
export function lineAmountMinor(messages: number, unitMicros: number, currency: string): number {
  const per = 10 ** (6 - minorDigits(currency));
  return Math.floor((messages * unitMicros + per / 2) / per);
}

/** 1234 (eur) → `12.34`; 1234 (jpy) → `1234`. */
export function formatMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
