import express, { type Request, type Response, Router } from 'express';
import { AppError } from '../../errors.ts';
import { parseOrFail } from '../../rest/validation.ts';
import type { SandboxState } from '../state.ts';
import { setWabaBanState } from '../store/accounts.ts';
import { expireWabaTokens, revokeWabaTokens } from '../store/credentials.ts';
import { unsubscribeApp } from '../store/subscriptions.ts';
import { appStateSyncValue, historyValue, messageEchoValue } from '../webhooks/fields/coexistence.ts';
import { accountUpdatePayload, fieldPayload, statusPayload } from '../webhooks/payloads.ts';
import {
  phoneOrFail,
  playFieldWebhook,
  reviewSandboxTemplate,
  simulateInboundMessage,
  wabaOrFail,
} from './actions.ts';
import { requireAppToken } from './auth.ts';
import { dispatch, webhookTarget } from './dispatch.ts';
import {
  AccountUpdateSchema,
  AppContactSchema,
  ExpireTokensSchema,
  FieldWebhookSchema,
  HistorySchema,
  InboundMessageSchema,
  MessageEchoSchema,
  StatusSchema,
  TemplateReviewSchema,
} from './schemas.ts';

/**
 * `/sandbox/control`: makes the emulated Meta do what the real one does on its own: a
 * customer writes, a message is delivered or read, a business removes the partner, a token
 * expires. Each webhook is sent signed and the call answers with the receiver's response.
 */
export function controlRouter(state: SandboxState): Router {
  const control = Router({ caseSensitive: true });
  control.use(requireAppToken(state));
  control.use(express.json({ limit: '256kb' }));

  control.post('/messages', async (req: Request, res: Response) => {
    res.json(await simulateInboundMessage(state, parseOrFail(InboundMessageSchema, req.body, 'body')));
  });

  control.post('/statuses', async (req: Request, res: Response) => {
    const input = parseOrFail(StatusSchema, req.body, 'body');
    const { context } = await phoneOrFail(state, input.phone_number_id);
    const target = await webhookTarget(state, context.wabaId, { requireSubscription: true });
    const payload = statusPayload({
      phone: context,
      messageId: input.message_id,
      status: input.status,
      recipientId: input.recipient_id,
      recipientUserId: input.recipient_user_id,
      category: input.category,
      at: state.deps.clock.now(),
      error: input.error,
    });
    res.json(await dispatch(state, target, payload));
  });

  control.post('/account_update', async (req: Request, res: Response) => {
    const input = parseOrFail(AccountUpdateSchema, req.body, 'body');
    const waba = await wabaOrFail(state, input.waba_id);
    // Meta never sends `account_update` to an override callback: it always reaches the app's
    // own callback, whatever the WABA's subscription says (see meta-platform-2026.md).
    const target = { url: state.deps.meta.callbackUrl, trusted: true };
    const now = state.deps.clock.now();
    if (input.event === 'PARTNER_REMOVED') {
      await state.transaction(async (q) => {
        await unsubscribeApp(q, waba.id, state.deps.meta.appId);
        await revokeWabaTokens(q, waba.id, now);
      });
    } else if (input.event === 'DISABLED_UPDATE') {
      await setWabaBanState(state.query, waba.id, input.ban_state ?? 'DISABLE');
    }
    state.forgetLookups();
    const payload = accountUpdatePayload({
      wabaId: waba.id,
      ownerBusinessId: waba.businessId,
      event: input.event,
      at: now,
      banState: input.ban_state,
      reason: input.reason,
    });
    res.json(await dispatch(state, target, payload));
  });

  // A coexistence number's WhatsApp Business app at work: they follow the WABA's override, like messages.
  const coexistencePhone = async (id: string) => {
    const { phone, context } = await phoneOrFail(state, id);
    if (phone.connectionType !== 'coexistence') {
      throw new AppError(
        'conflict',
        `Sandbox number ${id} is not a coexistence (WhatsApp Business app) number`,
      );
    }
    return { context, target: await webhookTarget(state, context.wabaId, { requireSubscription: true }) };
  };

  control.post('/message_echoes', async (req: Request, res: Response) => {
    const input = parseOrFail(MessageEchoSchema, req.body, 'body');
    const { context, target } = await coexistencePhone(input.phone_number_id);
    const value = messageEchoValue(context, input.to, input.text, state.deps.clock.now());
    res.json(await dispatch(state, target, fieldPayload(context.wabaId, 'smb_message_echoes', value)));
  });

  control.post('/app_contacts', async (req: Request, res: Response) => {
    const input = parseOrFail(AppContactSchema, req.body, 'body');
    const { context, target } = await coexistencePhone(input.phone_number_id);
    const contact = { phoneNumber: input.phone_number, fullName: input.full_name, action: input.action };
    const value = appStateSyncValue(context, [contact], state.deps.clock.now());
    res.json(await dispatch(state, target, fieldPayload(context.wabaId, 'smb_app_state_sync', value)));
  });

  control.post('/history', async (req: Request, res: Response) => {
    const input = parseOrFail(HistorySchema, req.body, 'body');
    const { context, target } = await coexistencePhone(input.phone_number_id);
    const value = historyValue(context, state.deps.clock.now(), { declined: input.declined });
    res.json(await dispatch(state, target, fieldPayload(context.wabaId, 'history', value)));
  });

  // The fields Meta sends only to the app's callback (never to an override): templates, reviews,
  // alerts, limits, number quality and name, security, flows.
  control.post('/webhooks/:field', async (req: Request, res: Response) => {
    const field = String(req.params.field);
    res.json(await playFieldWebhook(state, field, parseOrFail(FieldWebhookSchema, req.body, 'body')));
  });

  control.post('/templates/:id/review', async (req: Request, res: Response) => {
    const input = parseOrFail(TemplateReviewSchema, req.body, 'body');
    res.json(await reviewSandboxTemplate(state, String(req.params.id), input));
  });

  control.post('/tokens/expire', async (req: Request, res: Response) => {
    const input = parseOrFail(ExpireTokensSchema, req.body, 'body');
    const waba = await wabaOrFail(state, input.waba_id);
    const expired = await expireWabaTokens(state.query, waba.id, state.deps.clock.now());
    state.forgetLookups();
    res.json({ expired });
  });

  return control;
}
