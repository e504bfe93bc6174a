import type { Request, Response } from 'express';
import type { SandboxState } from '../state.ts';
import { deregisterPhoneNumber, registerPhoneNumber } from '../store/accounts.ts';
import { REGISTER_LIMIT, recordRegisterCall } from '../store/register-calls.ts';
import { authenticate } from './caller.ts';
import { graphErrors } from './errors.ts';
import type { Params } from './params.ts';
import { graphParams } from './params.ts';
import { managedPhone } from './scoped-objects.ts';

/** Cloud API requests name their product; only WhatsApp exists here. */
export function requireWhatsApp(params: Params): void {
  const product = params.messaging_product;
  if (product === undefined || product === '') throw graphErrors.missingParameter('messaging_product');
  if (typeof product !== 'string' || product.toLowerCase() !== 'whatsapp') {
    throw graphErrors.invalidParameter(
      `Param messaging_product must be one of {WHATSAPP} - got ${JSON.stringify(product)}.`,
    );
  }
}

function pinOf(params: Params): string {
  const raw = params.pin;
  if (raw === undefined || raw === '') throw graphErrors.missingParameter('pin');
  const pin = typeof raw === 'number' ? String(raw) : raw;
  if (typeof pin !== 'string' || pin.length !== 6)
    throw graphErrors.invalidParameter('Param pin must be 6 characters long.');
  if (!/^\d{6}$/.test(pin)) throw graphErrors.invalidParameter('Param pin must be a number.');
  return pin;
}

/** Counted before anything else about the call is judged: Meta counts failed calls too. */
async function countCall(state: SandboxState, phoneNumberId: string): Promise<void> {
  const calls = await recordRegisterCall(state.query, phoneNumberId, state.deps.clock.now());
  if (calls > REGISTER_LIMIT) throw graphErrors.registerRateLimited();
}

/**
 * `POST /{phone_number_id}/register`: connects the number to Cloud API and sets its
 * two-step verification PIN (a later register must present the same PIN).
 */
export function registerHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const phone = await managedPhone(state, caller, req.params.id, 'POST');
    await countCall(state, phone.id);
    requireWhatsApp(params);
    const pin = pinOf(params);
    const ok = await registerPhoneNumber(state.query, phone.id, pin, state.deps.clock.now());
    if (!ok) throw graphErrors.pinMismatch();
    state.forgetLookups();
    res.json({ success: true });
  };
}

/** `POST /{phone_number_id}/deregister`: disconnects the number; shares register's rate limit. */
export function deregisterHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const phone = await managedPhone(state, caller, req.params.id, 'POST');
    await countCall(state, phone.id);
    await deregisterPhoneNumber(state.query, phone.id);
    state.forgetLookups();
    res.json({ success: true });
  };
}
