import { safeString } from './schemas/safe-text.ts';

/**
 * Every public id is `<prefix>_<ulid in lowercase>`: opaque, URL-safe, time-ordered
 * (so keyset pagination can order by id), and free of the brackets and commas that
 * 360dialog's `channels=[a,b]` redirect format uses as delimiters.
 */
export const ID_PREFIXES = {
  partner: 'ptn',
  partnerToken: 'ptk',
  client: 'cli',
  clientUser: 'usr',
  channel: 'chn',
  permission: 'prm',
  channelApiKey: 'key',
  onboardingSession: 'obs',
  webhookEvent: 'evt',
  webhookDelivery: 'dlv',
  webhookAttempt: 'att',
  webhookEndpoint: 'wep',
  auditLog: 'aud',
  idempotencyKey: 'idk',
  metaWebhook: 'mwh',
  signupSessionEvent: 'sse',
  clientWaba: 'cwb',
  usageDay: 'usd',
  usageMessage: 'usm',
  template: 'tpl',
  channelMessage: 'msg',
  priceList: 'prl',
  billingTerms: 'trm',
  statement: 'stm',
  consoleUser: 'cus',
  consoleInvite: 'cin',
  portalSession: 'pps',
  linkedDeviceSession: 'sess',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type IdPrefix = (typeof ID_PREFIXES)[IdKind];

const ULID_BODY = '[0-9a-hjkmnp-tv-z]{26}';

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_${ULID_BODY}$`);
}

export function idSchema(kind: IdKind) {
  return safeString().regex(idPattern(kind), `must be a ${ID_PREFIXES[kind]}_… id`);
}
