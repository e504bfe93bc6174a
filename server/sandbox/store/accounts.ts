import { AppError } from '../../errors.ts';
import { newGraphId } from '../ids.ts';
import { asDate, asOptionalDate, type Query } from './db.ts';

export type ConnectionType = 'cloud_api' | 'coexistence';
export type PhoneStatus = 'PENDING' | 'CONNECTED' | 'DISCONNECTED';
export type QualityRating = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
/** Meta's `waba_ban_state` values, as account_update DISABLED_UPDATE carries them. */
export type BanState = 'DISABLE' | 'REINSTATE' | 'SCHEDULE_FOR_DISABLE';

export interface Business {
  id: string;
  name: string;
  systemUserId: string;
  createdAt: Date;
}

export interface Waba {
  id: string;
  businessId: string;
  businessName: string;
  name: string;
  banState: BanState | null;
  createdAt: Date;
}

export interface PhoneNumber {
  id: string;
  wabaId: string;
  businessId: string;
  /** E.164 digits without the plus. */
  phoneNumber: string;
  verifiedName: string;
  connectionType: ConnectionType;
  status: PhoneStatus;
  qualityRating: QualityRating;
  pinSet: boolean;
  registeredAt: Date | null;
  createdAt: Date;
  wabaBanState: BanState | null;
  /** The last display name change requested (POST /{id}?new_display_name=), and Meta's review of it. */
  newDisplayName: string | null;
  newNameStatus: string | null;
}

const PHONE_COLUMNS = `p.id, p.waba_id, w.business_id, p.phone_number, p.verified_name, p.connection_type, p.status,
  p.quality_rating, p.pin is not null as pin_set, p.registered_at, p.created_at, w.ban_state, n.new_display_name,
  n.status as new_name_status`;
/** Joined wherever PHONE_COLUMNS are read: the number's latest display name request. */
const LATEST_NAME_REQUEST = `left join lateral (select r.new_display_name, r.status from sandbox.display_name_requests r
  where r.phone_number_id = p.id order by r.id desc limit 1) n on true`;

type Row = Record<string, unknown>;

function phoneFrom(r: Row): PhoneNumber {
  return {
    id: String(r.id),
    wabaId: String(r.waba_id),
    businessId: String(r.business_id),
    phoneNumber: String(r.phone_number),
    verifiedName: String(r.verified_name),
    connectionType: r.connection_type as ConnectionType,
    status: r.status as PhoneStatus,
    qualityRating: r.quality_rating as QualityRating,
    pinSet: Boolean(r.pin_set),
    registeredAt: asOptionalDate(r.registered_at),
    createdAt: asDate(r.created_at),
    wabaBanState: (r.ban_state as BanState | null) ?? null,
    newDisplayName: (r.new_display_name as string | null) ?? null,
    newNameStatus: (r.new_name_status as string | null) ?? null,
  };
}

export async function findPhoneNumber(q: Query, id: string): Promise<PhoneNumber | undefined> {
  const rows = await q(
    `select ${PHONE_COLUMNS} from sandbox.phone_numbers p join sandbox.wabas w on w.id = p.waba_id ${LATEST_NAME_REQUEST}
      where p.id = ?`,
    [id],
  );
  return rows[0] && phoneFrom(rows[0]);
}

export async function listPhoneNumbers(q: Query, wabaId: string): Promise<PhoneNumber[]> {
  const rows = await q(
    `select ${PHONE_COLUMNS} from sandbox.phone_numbers p join sandbox.wabas w on w.id = p.waba_id ${LATEST_NAME_REQUEST}
      where p.waba_id = ? order by p.id`,
    [wabaId],
  );
  return rows.map(phoneFrom);
}

export async function findWaba(q: Query, id: string): Promise<Waba | undefined> {
  const rows = await q(
    `select w.id, w.business_id, b.name as business_name, w.name, w.ban_state, w.created_at
       from sandbox.wabas w join sandbox.businesses b on b.id = w.business_id where w.id = ?`,
    [id],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: String(r.id),
    businessId: String(r.business_id),
    businessName: String(r.business_name),
    name: String(r.name),
    banState: (r.ban_state as BanState | null) ?? null,
    createdAt: asDate(r.created_at),
  };
}

export async function findBusiness(q: Query, id: string): Promise<Business | undefined> {
  const rows = await q('select id, name, system_user_id, created_at from sandbox.businesses where id = ?', [
    id,
  ]);
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: String(r.id),
    name: String(r.name),
    systemUserId: String(r.system_user_id),
    createdAt: asDate(r.created_at),
  };
}

export interface AccountInput {
  businessName: string;
  /** E.164 digits without the plus. */
  phoneNumber: string;
  displayName: string;
  connectionType: ConnectionType;
  /** An existing WABA to add the number to; a new business and WABA otherwise. */
  wabaId?: string | undefined;
}

export interface Account {
  businessId: string;
  wabaId: string;
  phoneNumberId: string;
  /** False when the number was already signed up: a business reconnecting keeps its objects. */
  created: boolean;
}

/**
 * The business, WABA and phone number a signup ends with. Must run in a transaction: a
 * per-number advisory lock makes two concurrent signups of one number agree on its objects.
 */
export async function findOrCreateAccount(q: Query, input: AccountInput, now: Date): Promise<Account> {
  await q(`select pg_advisory_xact_lock(hashtext('sandbox.phone:' || ?))`, [input.phoneNumber]);
  const existing = await q<{ id: string; waba_id: string; business_id: string }>(
    `select p.id, p.waba_id, w.business_id from sandbox.phone_numbers p
       join sandbox.wabas w on w.id = p.waba_id where p.phone_number = ?`,
    [input.phoneNumber],
  );
  const found = existing[0];
  if (found) {
    return { businessId: found.business_id, wabaId: found.waba_id, phoneNumberId: found.id, created: false };
  }
  if (input.wabaId) {
    const waba = await findWaba(q, input.wabaId);
    if (!waba) throw new AppError('validation_failed', `No sandbox WABA ${input.wabaId}`);
    const account = {
      businessId: waba.businessId,
      wabaId: waba.id,
      phoneNumberId: newGraphId(),
      created: true,
    };
    await insertPhoneNumber(q, account, input, now);
    return account;
  }
  const account = {
    businessId: newGraphId(),
    wabaId: newGraphId(),
    phoneNumberId: newGraphId(),
    created: true,
  };
  await q('insert into sandbox.businesses (id, name, system_user_id, created_at) values (?, ?, ?, ?)', [
    account.businessId,
    input.businessName,
    newGraphId(),
    now,
  ]);
  await q('insert into sandbox.wabas (id, business_id, name, created_at) values (?, ?, ?, ?)', [
    account.wabaId,
    account.businessId,
    input.businessName,
    now,
  ]);
  await insertPhoneNumber(q, account, input, now);
  return account;
}

async function insertPhoneNumber(q: Query, account: Account, input: AccountInput, now: Date): Promise<void> {
  // A coexistence number is already live on the WhatsApp Business app: Meta connects it to
  // Cloud API during signup, with no register call.
  const coexistence = input.connectionType === 'coexistence';
  await q(
    `insert into sandbox.phone_numbers (id, waba_id, phone_number, verified_name, connection_type, status, registered_at, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      account.phoneNumberId,
      account.wabaId,
      input.phoneNumber,
      input.displayName,
      input.connectionType,
      coexistence ? 'CONNECTED' : 'PENDING',
      coexistence ? now : null,
      now,
    ],
  );
}

/** Returns false when the stored two-step verification PIN differs (Meta's 133005). */
export async function registerPhoneNumber(q: Query, id: string, pin: string, now: Date): Promise<boolean> {
  const rows = await q(
    `update sandbox.phone_numbers set status = 'CONNECTED', pin = ?, registered_at = coalesce(registered_at, ?)
      where id = ? and (pin is null or pin = ?) returning id`,
    [pin, now, id, pin],
  );
  return rows.length > 0;
}

export async function deregisterPhoneNumber(q: Query, id: string): Promise<void> {
  await q(`update sandbox.phone_numbers set status = 'DISCONNECTED', registered_at = null where id = ?`, [
    id,
  ]);
}

export async function setWabaBanState(q: Query, id: string, banState: BanState | null): Promise<void> {
  await q('update sandbox.wabas set ban_state = ? where id = ?', [banState, id]);
}

/**
 * A business and a WABA without any phone number: Embedded Signup finished before a number
 * was added (Meta's FINISH_ONLY_WABA). Numbers added later appear in the WABA's list.
 */
export async function createWabaWithoutNumber(
  q: Query,
  businessName: string,
  now: Date,
): Promise<{ businessId: string; wabaId: string }> {
  const account = { businessId: newGraphId(), wabaId: newGraphId() };
  await q('insert into sandbox.businesses (id, name, system_user_id, created_at) values (?, ?, ?, ?)', [
    account.businessId,
    businessName,
    newGraphId(),
    now,
  ]);
  await q('insert into sandbox.wabas (id, business_id, name, created_at) values (?, ?, ?, ?)', [
    account.wabaId,
    account.businessId,
    businessName,
    now,
  ]);
  return account;
}
