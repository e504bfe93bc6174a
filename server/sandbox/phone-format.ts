/** E.164 digits without the plus: what Meta calls a wa_id. */
export const PHONE_DIGITS = /^[1-9]\d{7,14}$/;

/**
 * A business-scoped user id (Meta's `user_id`, since 2026): a two-letter country code, a
 * period, and up to 128 letters and digits; a parent BSUID has `ENT` in between
 * (`US.13491208655302741918`, `US.ENT.11815799212886844830`). A contact may have one and no
 * phone number.
 */
export const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;

/** People type numbers with spaces, dashes, dots and brackets; Meta accepts them. */
export function normalisePhoneNumber(input: string): string {
  return input
    .trim()
    .replace(/^\+/, '')
    .replace(/[\s().-]/g, '');
}

// Country calling codes with one or two digits; every other code has three.
const ONE_DIGIT = new Set(['1', '7']);
const TWO_DIGIT = new Set(
  (
    '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 ' +
    '60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'
  ).split(' '),
);

function countryCodeLength(digits: string): number {
  if (ONE_DIGIT.has(digits.slice(0, 1))) return 1;
  if (TWO_DIGIT.has(digits.slice(0, 2))) return 2;
  return 3;
}

/**
 * Meta's `display_phone_number`: "+1 555-000-1111" for the North American plan, the country
 * code and space-separated groups elsewhere ("+44 7700 900 123").
 */
export function displayPhoneNumber(digits: string): string {
  if (digits.length === 11 && digits.startsWith('1')) {
    return `+1 ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
  }
  const cc = countryCodeLength(digits);
  const national = digits.slice(cc);
  const groups = national.match(/^(\d{1,4}?)(\d{3})?(\d{3,4})$/);
  const body = groups ? groups.slice(1).filter(Boolean).join(' ') : national;
  return `+${digits.slice(0, cc)} ${body}`;
}
