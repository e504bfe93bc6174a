import type { EventData, EventType } from '../../../shared/events.ts';
import type { Channel } from '../channels/channel.entity.ts';
import type { MetaChange } from './meta-changes.ts';

/**
 * The webhook fields Meta sends only to the app's default callback (never to a WABA's or
 * number's override), which the hub fans out to the partners holding the WABA or number. A
 * `waba` field reaches every channel of the WABA; a `phone` field only the channel whose number
 * is the change's `display_phone_number`.
 */
export const FAN_OUT_FIELDS = {
  message_template_status_update: { type: 'template.status_updated', scope: 'waba' },
  message_template_quality_update: { type: 'template.quality_updated', scope: 'waba' },
  message_template_components_update: { type: 'template.components_updated', scope: 'waba' },
  template_category_update: { type: 'template.category_updated', scope: 'waba' },
  account_update: { type: 'account.updated', scope: 'waba' },
  account_review_update: { type: 'account.review_updated', scope: 'waba' },
  account_alerts: { type: 'account.alert', scope: 'waba' },
  business_capability_update: { type: 'account.capability_updated', scope: 'waba' },
  phone_number_quality_update: { type: 'channel.quality_updated', scope: 'phone' },
  phone_number_name_update: { type: 'channel.name_updated', scope: 'phone' },
  security: { type: 'channel.security_updated', scope: 'phone' },
  flows: { type: 'flow.updated', scope: 'waba' },
} as const satisfies Record<string, { type: EventType; scope: 'waba' | 'phone' }>;

export type FanOutField = keyof typeof FAN_OUT_FIELDS;
export type FanOutEventType = (typeof FAN_OUT_FIELDS)[FanOutField]['type'];

export function isFanOutField(field: string): field is FanOutField {
  return Object.hasOwn(FAN_OUT_FIELDS, field);
}

/** A string Meta sent, shortened; null for anything else (Meta's values are never trusted to be shaped). */
export function str(v: unknown, max = 512): string | null {
  // Postgres text holds no NUL; a lone surrogate would not survive UTF-8 either.
  if (typeof v === 'string') return v.replaceAll('\u0000', '').toWellFormed().slice(0, max);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function int(v: unknown): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,12}$/.test(v)) return Number(v);
  return null;
}

export const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** A vocabulary value (GREEN, TIER_2K, APPROVED, …) fit to store on the channel, or null. */
export function token(v: unknown): string | null {
  return typeof v === 'string' && /^[A-Z][A-Z0-9_]{0,31}$/.test(v) ? v : null;
}

const TIERS: Record<string, string> = {
  '-1': 'TIER_UNLIMITED',
  '50': 'TIER_50',
  '250': 'TIER_250',
  '1000': 'TIER_1K',
  '2000': 'TIER_2K',
  '10000': 'TIER_10K',
  '100000': 'TIER_100K',
};

/** A messaging limit as a tier: Meta sends tiers (`TIER_2K`) or, portfolio-level, a count (2000, -1 unlimited). */
export function tierOf(v: unknown): string | null {
  const t = token(v);
  if (t?.startsWith('TIER_')) return t;
  const n = int(v);
  return n === null ? null : (TIERS[String(n)] ?? null);
}

/** The WABA a change is about: `waba_info.waba_id` on account updates, else the entry's id. */
export function wabaIdOf(change: MetaChange): string {
  const info = obj(change.value.waba_info);
  return str(info.waba_id, 64) ?? change.wabaId;
}

/** The number a phone-level change names (`display_phone_number`), as digits, or null. */
export function displayNumberOf(change: MetaChange): string | null {
  const digits = str(change.value.display_phone_number, 64)?.replace(/\D/g, '');
  return digits && digits.length >= 4 ? digits : null;
}

/** What happened, in Meta's words: the field's `event`, `decision`, alert type, new score or category. */
function eventOf(field: FanOutField, value: Record<string, unknown>): string | null {
  switch (field) {
    case 'message_template_quality_update':
      return str(value.new_quality_score);
    case 'template_category_update':
      return str(value.new_category);
    case 'account_review_update':
    case 'phone_number_name_update':
      return str(value.decision);
    case 'account_alerts':
      return str(obj(value.alert_info).alert_type) ?? str(value.alert_type);
    case 'business_capability_update':
    case 'message_template_components_update':
      return null;
    default:
      return str(value.event);
  }
}

/** The quality rating a `phone_number_quality_update` implies: explicit, or from FLAGGED/UNFLAGGED. */
export function qualityOf(value: Record<string, unknown>): string | null {
  const explicit = token(value.quality_rating);
  if (explicit) return explicit;
  if (value.event === 'FLAGGED') return 'RED';
  if (value.event === 'UNFLAGGED') return 'GREEN';
  return null;
}

/** The violation or restriction an `account_update` names (`violation_info`, `restriction_info`, `ban_info`). */
export function accountReasonOf(value: Record<string, unknown>): string | null {
  const violation = str(obj(value.violation_info).violation_type, 150);
  if (violation) return violation;
  const restrictions = Array.isArray(value.restriction_info)
    ? value.restriction_info
    : [value.restriction_info];
  const types = restrictions.map((r) => str(obj(r).restriction_type, 60)).filter((t) => t !== null);
  if (types.length > 0) return types.join(',').slice(0, 150);
  const ban = obj(value.ban_info).waba_ban_state;
  const states = (Array.isArray(ban) ? ban : [ban]).map((s) => str(s, 40)).filter((s) => s !== null);
  return states.length > 0 ? states.join(',').slice(0, 150) : null;
}

/** The typed event a partner receives for one change and one channel it holds. */
export function fanOutData(
  field: FanOutField,
  change: MetaChange,
  channel: Channel,
): EventData<FanOutEventType> {
  const value = change.value;
  const base = {
    channel_id: channel.id,
    client_id: channel.client.id,
    waba_id: channel.wabaId,
    phone_number_id: channel.phoneNumberId,
    field,
    event: eventOf(field, value),
    value,
  };
  const template = {
    template_id: str(value.message_template_id),
    template_name: str(value.message_template_name),
    template_language: str(value.message_template_language),
  };
  switch (field) {
    case 'message_template_status_update':
      return { ...base, ...template, reason: str(value.reason) };
    case 'message_template_quality_update':
    case 'message_template_components_update':
    case 'template_category_update':
      return { ...base, ...template };
    case 'account_update':
      return { ...base, status: channel.status, reason: accountReasonOf(value) };
    case 'business_capability_update':
      return {
        ...base,
        current_limit: tierOf(value.max_daily_conversations_per_business),
        max_phone_numbers: int(value.max_phone_numbers_per_business),
      };
    case 'phone_number_quality_update':
      return {
        ...base,
        quality_rating: qualityOf(value),
        current_limit: tierOf(value.current_limit) ?? tierOf(value.max_daily_conversations_per_business),
      };
    case 'phone_number_name_update':
      return {
        ...base,
        requested_verified_name: str(value.requested_verified_name),
        rejection_reason: str(value.rejection_reason),
      };
    default:
      return base;
  }
}

export { int as intOf };
