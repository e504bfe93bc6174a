import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { SandboxState } from '../state.ts';
import { findPhoneNumber, findWaba } from '../store/accounts.ts';
import { decideDisplayName } from '../store/display-names.ts';
import { reviewTemplate } from '../store/templates.ts';
import { APP_ONLY_FIELDS, type AppOnlyField, fieldValue, PHONE_FIELDS } from '../webhooks/fields/index.ts';
import { templateStatusValue } from '../webhooks/fields/templates.ts';
import { fieldPayload, inboundMessagePayload } from '../webhooks/payloads.ts';
import { type DispatchResult, dispatch, webhookTarget } from './dispatch.ts';
import type { FieldWebhookSchema, InboundMessageSchema, TemplateReviewSchema } from './schemas.ts';

/*
 * What the control API plays, as functions: `/sandbox/control` (app-token callers) and the
 * console's sandbox tools (a partner user, for its own numbers) both call them.
 */

export async function phoneOrFail(state: SandboxState, id: string) {
  const phone = await findPhoneNumber(state.query, id);
  if (!phone) throw new AppError('not_found', `No sandbox phone number ${id}`);
  return {
    phone,
    context: { wabaId: phone.wabaId, phoneNumberId: phone.id, displayPhoneNumber: phone.phoneNumber },
  };
}

export async function wabaOrFail(state: SandboxState, id: string) {
  const waba = await findWaba(state.query, id);
  if (!waba) throw new AppError('not_found', `No sandbox WABA ${id}`);
  return waba;
}

/** A customer writes to the number: the message webhook goes where Meta would send it. */
export async function simulateInboundMessage(
  state: SandboxState,
  input: z.output<typeof InboundMessageSchema>,
): Promise<DispatchResult> {
  const { context } = await phoneOrFail(state, input.phone_number_id);
  const target = await webhookTarget(state, context.wabaId, { requireSubscription: true });
  const payload = inboundMessagePayload({
    phone: context,
    from: input.from,
    userId: input.user_id,
    name: input.name,
    at: state.deps.clock.now(),
    text: input.text,
    message: input.message,
  });
  return dispatch(state, target, payload);
}

/** One of the fields Meta sends only to the app's callback (never to an override). */
export async function playFieldWebhook(
  state: SandboxState,
  field: string,
  input: z.output<typeof FieldWebhookSchema>,
): Promise<DispatchResult> {
  if (!(APP_ONLY_FIELDS as readonly string[]).includes(field)) {
    throw new AppError(
      'validation_failed',
      `Unknown field ${field}: one of ${APP_ONLY_FIELDS.join(', ')} (account_update: POST /sandbox/control/account_update)`,
    );
  }
  const phone = input.phone_number_id ? (await phoneOrFail(state, input.phone_number_id)).context : null;
  if (PHONE_FIELDS.includes(field as AppOnlyField) && !phone) {
    throw new AppError('validation_failed', `${field} is about one number: give phone_number_id`);
  }
  const wabaId = phone?.wabaId ?? (await wabaOrFail(state, input.waba_id!)).id;
  // Meta's decision on a display name change requested through the Graph (if one is pending).
  const requestedName =
    field === 'phone_number_name_update' && phone
      ? await decideDisplayName(state.query, phone.phoneNumberId, input.event ?? 'APPROVED')
      : undefined;
  if (requestedName) state.forgetLookups();
  const value = fieldValue(field as AppOnlyField, {
    wabaId,
    displayPhoneNumber: phone?.displayPhoneNumber,
    event: input.event,
    limit: input.limit,
    name: requestedName,
  });
  const target = { url: state.deps.meta.callbackUrl, trusted: true };
  return dispatch(state, target, fieldPayload(wabaId, field, value));
}

/** The WABA a sandbox template belongs to (undefined: no such template). */
export async function sandboxTemplateWaba(state: SandboxState, id: string): Promise<string | undefined> {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  const rows = await state.query<{ waba_id: string }>(
    'select waba_id from sandbox.message_templates where id = ?',
    [id],
  );
  return rows[0]?.waba_id;
}

/**
 * Meta reviews a template created through the Graph emulator: its status changes, and the
 * status webhook goes to the app's callback (Meta never sends it to an override).
 */
export async function reviewSandboxTemplate(
  state: SandboxState,
  id: string,
  input: z.output<typeof TemplateReviewSchema>,
): Promise<DispatchResult> {
  const reason = input.status === 'REJECTED' ? (input.reason ?? 'INVALID_FORMAT') : null;
  const template = /^\d{1,20}$/.test(id)
    ? await reviewTemplate(state.query, id, input.status, reason)
    : undefined;
  if (!template) throw new AppError('not_found', `No sandbox template ${id}`);
  const value = {
    ...templateStatusValue(
      { id: template.id, name: template.name, language: template.language },
      input.status,
    ),
    reason: reason ?? 'NONE',
    message_template_category: template.category,
  };
  const target = { url: state.deps.meta.callbackUrl, trusted: true };
  return dispatch(state, target, fieldPayload(template.waba_id, 'message_template_status_update', value));
}
