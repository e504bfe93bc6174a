import { createHash } from 'node:crypto';
import { displayPhoneNumber } from '../phone-format.ts';
import type { SandboxState } from '../state.ts';
import {
  type Business,
  findBusiness,
  findPhoneNumber,
  findWaba,
  type PhoneNumber,
  type Waba,
} from '../store/accounts.ts';
import { grantAllows } from '../store/credentials.ts';
import type { Caller } from './caller.ts';
import { graphErrors } from './errors.ts';
import { healthStatus } from './health-status.ts';

type FieldMap<T> = Record<string, (node: T, appId: string) => unknown>;

/** Meta's timestamp format for node fields: "2026-11-24T07:00:00+0000". */
const metaTimestamp = (at: Date) => `${at.toISOString().slice(0, 19)}+0000`;

export const PHONE_NUMBER_FIELDS: FieldMap<PhoneNumber> = {
  id: (p) => p.id,
  display_phone_number: (p) => displayPhoneNumber(p.phoneNumber),
  verified_name: (p) => p.verifiedName,
  quality_rating: (p) => p.qualityRating,
  status: (p) => p.status,
  name_status: () => 'APPROVED',
  new_display_name: (p) => p.newDisplayName ?? undefined,
  new_name_status: (p) => p.newNameStatus ?? 'NONE',
  code_verification_status: () => 'VERIFIED',
  platform_type: (p) => (p.status === 'CONNECTED' ? 'CLOUD_API' : 'NOT_APPLICABLE'),
  throughput: () => ({ level: 'STANDARD' }),
  is_on_biz_app: (p) => p.connectionType === 'coexistence',
  is_pin_enabled: (p) => p.pinSet,
  is_official_business_account: () => false,
  account_mode: () => 'LIVE',
  messaging_limit_tier: () => 'TIER_250',
  last_onboarded_time: (p) => metaTimestamp(p.createdAt),
  health_status: (p, appId) =>
    healthStatus({
      phoneNumberId: p.id,
      phoneStatus: p.status,
      qualityRating: p.qualityRating,
      wabaId: p.wabaId,
      wabaBanState: p.wabaBanState,
      businessId: p.businessId,
      appId,
    }),
};

/** What Meta answers for a phone number when no `fields` are asked for. */
export const PHONE_NUMBER_DEFAULT_FIELDS = [
  'verified_name',
  'code_verification_status',
  'display_phone_number',
  'quality_rating',
  'platform_type',
  'throughput',
  'last_onboarded_time',
  'id',
];

/** Meta's template namespace is a stable per-WABA UUID with underscores. */
function templateNamespace(wabaId: string): string {
  const h = createHash('sha256').update(`namespace:${wabaId}`).digest('hex');
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20, 32)].join('_');
}

const WABA_FIELDS: FieldMap<Waba> = {
  id: (w) => w.id,
  name: (w) => w.name,
  currency: () => 'USD',
  timezone_id: () => '1',
  message_template_namespace: (w) => templateNamespace(w.id),
  account_review_status: () => 'APPROVED',
  business_verification_status: () => 'verified',
  ownership_type: () => 'CLIENT_OWNED',
  owner_business_info: (w) => ({ name: w.businessName, id: w.businessId }),
  health_status: (w, appId) =>
    healthStatus({ wabaId: w.id, wabaBanState: w.banState, businessId: w.businessId, appId }),
};
const WABA_DEFAULT_FIELDS = ['id', 'name', 'currency', 'timezone_id', 'message_template_namespace'];

const BUSINESS_FIELDS: FieldMap<Business> = {
  id: (b) => b.id,
  name: (b) => b.name,
  verification_status: () => 'verified',
  created_time: (b) => metaTimestamp(b.createdAt),
};
const BUSINESS_DEFAULT_FIELDS = ['id', 'name'];

/** `id` first, then the requested fields in order; an unknown field fails the request, as at Meta. */
export function selectFields<T>(
  node: T,
  fieldMap: FieldMap<T>,
  nodeType: string,
  requested: string[] | undefined,
  defaults: string[],
  appId: string,
): Record<string, unknown> {
  const fields = requested ?? defaults;
  for (const f of fields) if (!(f in fieldMap)) throw graphErrors.nonexistingField(f, nodeType);
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = fieldMap[f]!(node, appId);
  if (!('id' in out)) out.id = fieldMap.id!(node, appId);
  return out;
}

/**
 * `GET /{id}`: a phone number, WABA or business the token is scoped to. Anything else,
 * existing or not, gets the same "does not exist … missing permissions" error.
 */
export async function readNode(
  state: SandboxState,
  caller: Caller,
  id: string,
  requested: string[] | undefined,
): Promise<Record<string, unknown>> {
  const appId = state.deps.meta.appId;
  const missing = graphErrors.unsupportedRequest('GET', id);
  if (caller.kind !== 'user' || !/^\d{1,20}$/.test(id)) throw missing;
  const { grant } = caller;
  const canSee = (wabaId: string) =>
    grantAllows(grant, 'whatsapp_business_management', wabaId) ||
    grantAllows(grant, 'whatsapp_business_messaging', wabaId);

  const phone = await findPhoneNumber(state.query, id);
  if (phone) {
    if (!canSee(phone.wabaId)) throw missing;
    return selectFields(
      phone,
      PHONE_NUMBER_FIELDS,
      'WhatsAppBusinessPhoneNumber',
      requested,
      PHONE_NUMBER_DEFAULT_FIELDS,
      appId,
    );
  }
  const waba = await findWaba(state.query, id);
  if (waba) {
    if (!canSee(waba.id)) throw missing;
    return selectFields(waba, WABA_FIELDS, 'WhatsAppBusinessAccount', requested, WABA_DEFAULT_FIELDS, appId);
  }
  const business = await findBusiness(state.query, id);
  if (business && grantAllows(grant, 'business_management', business.id)) {
    return selectFields(business, BUSINESS_FIELDS, 'Business', requested, BUSINESS_DEFAULT_FIELDS, appId);
  }
  throw missing;
}
