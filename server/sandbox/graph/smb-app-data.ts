import type { Request, Response } from 'express';
import { dispatch, webhookTarget } from '../control/dispatch.ts';
import { newGraphId } from '../ids.ts';
import type { SandboxState } from '../state.ts';
import { appStateSyncValue, historyValue, SAMPLE_CONTACTS } from '../webhooks/fields/coexistence.ts';
import { fieldPayload, type PhoneContext } from '../webhooks/payloads.ts';
import { authenticate } from './caller.ts';
import { graphErrors } from './errors.ts';
import { graphParams } from './params.ts';
import { requireWhatsApp } from './registration.ts';
import { managedPhone } from './scoped-objects.ts';

const SYNC_TYPES = ['smb_app_state_sync', 'history'];

/**
 * `POST /{phone_number_id}/smb_app_data` `{messaging_product, sync_type}`: a partner asks for a
 * coexistence number's app contacts or chat history. Meta answers with a request id and sends
 * the data as webhooks over the following minutes; the sandbox sends them right away (to the
 * WABA's override callback if it has one, as Meta does for these fields) and then answers, so a
 * test sees them arrive in order. The sandbox's app holds two contacts and one thread.
 */
export function smbAppDataHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const phone = await managedPhone(state, caller, req.params.id, 'POST');
    requireWhatsApp(params);
    const syncType = params.sync_type;
    if (syncType === undefined || syncType === '') throw graphErrors.missingParameter('sync_type');
    if (typeof syncType !== 'string' || !SYNC_TYPES.includes(syncType)) {
      throw graphErrors.invalidParameter(
        `Param sync_type must be one of {SMB_APP_STATE_SYNC, HISTORY} - got ${JSON.stringify(syncType)}.`,
      );
    }
    if (phone.connectionType !== 'coexistence') {
      throw graphErrors.invalidParameter(
        'This phone number is not onboarded with the WhatsApp Business app (coexistence).',
      );
    }
    const context: PhoneContext = {
      wabaId: phone.wabaId,
      phoneNumberId: phone.id,
      displayPhoneNumber: phone.phoneNumber,
    };
    const now = state.deps.clock.now();
    const value =
      syncType === 'history' ? historyValue(context, now) : appStateSyncValue(context, SAMPLE_CONTACTS, now);
    const target = await webhookTarget(state, phone.wabaId, { requireSubscription: false });
    const sent = await dispatch(state, target, fieldPayload(phone.wabaId, syncType, value));
    if (!sent.delivered)
      state.deps.logger.warn({ url: sent.url, error: sent.error }, 'sandbox sync webhook not delivered');
    res.json({ request_id: newGraphId() });
  };
}
