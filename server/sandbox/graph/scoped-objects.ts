import type { SandboxState } from '../state.ts';
import { findPhoneNumber, findWaba, type PhoneNumber, type Waba } from '../store/accounts.ts';
import { grantAllows } from '../store/credentials.ts';
import type { Caller } from './caller.ts';
import { graphErrors } from './errors.ts';

/**
 * The WABA `id` names, if the caller may manage it. Missing and out-of-scope objects fail
 * alike, so a token cannot probe for other businesses' ids.
 */
export async function managedWaba(
  state: SandboxState,
  caller: Caller,
  id: string,
  method: string,
): Promise<Waba> {
  if (caller.kind === 'user' && grantAllows(caller.grant, 'whatsapp_business_management', id)) {
    const waba = await findWaba(state.query, id);
    if (waba) return waba;
  }
  throw graphErrors.unsupportedRequest(method, id);
}

/** The phone number `id` names, if the caller may manage its WABA. */
export async function managedPhone(
  state: SandboxState,
  caller: Caller,
  id: string,
  method: string,
): Promise<PhoneNumber> {
  if (caller.kind === 'user' && /^\d{1,20}$/.test(id)) {
    const phone = await findPhoneNumber(state.query, id);
    if (phone && grantAllows(caller.grant, 'whatsapp_business_management', phone.wabaId)) return phone;
  }
  throw graphErrors.unsupportedRequest(method, id);
}
