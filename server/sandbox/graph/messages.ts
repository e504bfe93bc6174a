import type { Request, Response } from 'express';
import { newWamid } from '../ids.ts';
import { BSUID } from '../phone-format.ts';
import type { SandboxState } from '../state.ts';
import { grantAllows } from '../store/credentials.ts';
import { authenticate } from './caller.ts';
import { graphErrors } from './errors.ts';
import { graphParams, type Params } from './params.ts';
import { requireWhatsApp } from './registration.ts';

const MESSAGE_TYPES = [
  'audio',
  'contacts',
  'document',
  'image',
  'interactive',
  'location',
  'reaction',
  'sticker',
  'template',
  'text',
  'video',
] as const;
const TYPE_LIST = `{${MESSAGE_TYPES.map((t) => t.toUpperCase()).join(', ')}}`;
const MAX_TEXT = 4096;

type Recipient = { input: string; waId: string } | { input: string; userId: string };

/**
 * The recipient: `to`, a phone number as Meta normalises it (digits only), or else
 * `recipient`, a business-scoped user id for a contact whose number the business does not have.
 */
function recipientOf(params: Params): Recipient {
  const raw = params.to;
  if ((raw === undefined || raw === '') && typeof params.recipient === 'string' && params.recipient !== '') {
    if (!BSUID.test(params.recipient)) throw graphErrors.invalidParameter('Invalid parameter');
    return { input: params.recipient, userId: params.recipient };
  }
  if (raw === undefined || raw === '') throw graphErrors.missingParameter('to');
  if (typeof raw !== 'string' && typeof raw !== 'number')
    throw graphErrors.invalidParameter('Param to must be a string.');
  const input = String(raw);
  const waId = input.replace(/\D/g, '');
  if (waId.length < 5 || waId.length > 15) throw graphErrors.invalidParameter('Invalid parameter');
  return { input, waId };
}

function checkContent(params: Params): string {
  const type = params.type === undefined ? 'text' : params.type;
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw graphErrors.invalidParameter(
      `Param type must be one of ${TYPE_LIST} - got ${JSON.stringify(type)}.`,
    );
  }
  const content = params[type];
  if (type === 'text') {
    const body = (content as { body?: unknown } | undefined)?.body;
    if (typeof body !== 'string' || body === '') throw graphErrors.missingParameter("text['body']");
    if (body.length > MAX_TEXT) {
      throw graphErrors.invalidParameter(`Param text['body'] must be at most ${MAX_TEXT} characters long.`);
    }
  } else if (!content || typeof content !== 'object') {
    throw graphErrors.missingParameter(type);
  }
  return type;
}

/**
 * `POST /{phone_number_id}/messages`. The hot path of every benchmark: token and number come
 * from the ≤1 s lookup caches and nothing is written per message.
 */
export function messagesHandler(state: SandboxState) {
  return async (req: Request<{ id: string }>, res: Response) => {
    const params = graphParams(req);
    const caller = await authenticate(state, req, params);
    const id = req.params.id;
    const phone = /^\d{1,20}$/.test(id) ? await state.cachedPhone(id) : null;
    if (!phone || caller.kind !== 'user') throw graphErrors.unsupportedRequest('POST', id);
    if (!grantAllows(caller.grant, 'whatsapp_business_messaging', phone.wabaId)) {
      throw graphErrors.permissionDenied();
    }
    requireWhatsApp(params);
    if (params.status !== undefined) {
      // Marking a received message as read: Meta answers `{"success": true}` for a wamid.
      if (params.status !== 'read') throw graphErrors.invalidParameter('Param status must be read');
      if (typeof params.message_id !== 'string' || !params.message_id.startsWith('wamid.')) {
        throw graphErrors.invalidParameter('Param message_id must be a message id (wamid.…)');
      }
      res.json({ success: true });
      return;
    }
    const to = recipientOf(params);
    const type = checkContent(params);
    if (phone.status !== 'CONNECTED') throw graphErrors.notRegistered();
    if (phone.wabaBanState === 'DISABLE') throw graphErrors.accountLocked();
    const refused = state.throughput?.spend(phone, 'waId' in to ? to.waId : to.userId);
    if (refused) throw refused;
    const message: Record<string, string> = { id: newWamid('waId' in to ? to.waId : to.userId) };
    if (type === 'template') message.message_status = 'accepted';
    res.json({
      messaging_product: 'whatsapp',
      contacts: [
        'waId' in to ? { input: to.input, wa_id: to.waId } : { input: to.input, user_id: to.userId },
      ],
      messages: [message],
    });
  };
}
