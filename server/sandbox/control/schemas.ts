import { z } from 'zod';
import { isSafeJson, safeString, UNSAFE_TEXT_MESSAGE } from '../../../shared/schemas/safe-text.ts';
import { BSUID, normalisePhoneNumber, PHONE_DIGITS } from '../phone-format.ts';
import { ACCOUNT_UPDATE_EVENTS, PRICING_CATEGORIES } from '../webhooks/payloads.ts';

const graphId = safeString().regex(/^\d{1,20}$/, 'must be a numeric Graph id');
const waId = safeString()
  .transform(normalisePhoneNumber)
  .pipe(safeString().regex(PHONE_DIGITS, 'must be a phone number with its country code, 8 to 15 digits'));
const userId = safeString().regex(BSUID, 'must be a business-scoped user id, e.g. US.13491208655302741918');

export const InboundMessageSchema = z
  .object({
    phone_number_id: graphId,
    /** The customer's phone number; may be left out for a contact known by `user_id` only. */
    from: waId.optional(),
    /** The customer's business-scoped user id (BSUID). */
    user_id: userId.optional(),
    name: safeString().trim().min(1).max(256).default('Sandbox Customer'),
    text: safeString().min(1).max(4096).optional(),
    message: z
      .looseObject({ type: safeString().min(1, 'must name the message type') })
      .refine(isSafeJson, { message: UNSAFE_TEXT_MESSAGE })
      .optional(),
  })
  .refine((v) => (v.text === undefined) !== (v.message === undefined), {
    message: 'give either text or message (a raw Cloud API message object)',
    path: ['text'],
  })
  .refine((v) => v.from !== undefined || v.user_id !== undefined, {
    message: 'give from (a phone number), user_id (a BSUID), or both',
    path: ['from'],
  });

export const StatusSchema = z
  .object({
    phone_number_id: graphId,
    message_id: safeString().min(1).max(256),
    status: z.enum(['sent', 'delivered', 'read', 'failed']),
    recipient_id: waId.optional(),
    recipient_user_id: userId.optional(),
    /** The pricing category sent and delivered statuses carry (default `service`, not billable). */
    category: z.enum(PRICING_CATEGORIES).optional(),
    /** For `failed`: the error Meta reports; a generic "Message undeliverable" otherwise. */
    error: z
      .object({
        code: z.number().int(),
        title: safeString().min(1).max(256),
        message: safeString().max(1024).optional(),
        details: safeString().max(1024).optional(),
      })
      .optional(),
  })
  .refine((v) => v.recipient_id !== undefined || v.recipient_user_id !== undefined, {
    message: 'give recipient_id (a phone number), recipient_user_id (a BSUID), or both',
    path: ['recipient_id'],
  });

export const AccountUpdateSchema = z.object({
  waba_id: graphId,
  event: z.enum(ACCOUNT_UPDATE_EVENTS),
  /** For DISABLED_UPDATE; DISABLE when absent. */
  ban_state: z.enum(['DISABLE', 'REINSTATE', 'SCHEDULE_FOR_DISABLE']).optional(),
  /** For ACCOUNT_VIOLATION: the violation type; for ACCOUNT_RESTRICTION: the restriction type. */
  reason: safeString()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be one of Meta’s upper-case types')
    .optional(),
});

/** `POST /sandbox/control/webhooks/{field}`: a WABA (WABA-level fields) or a number (either). */
export const FieldWebhookSchema = z
  .object({
    waba_id: graphId.optional(),
    phone_number_id: graphId.optional(),
    event: safeString()
      .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be one of Meta’s upper-case values')
      .optional(),
    /** phone_number_quality_update: a tier (TIER_2K); business_capability_update: a count (2000, -1). */
    limit: z.union([safeString().regex(/^TIER_[A-Z0-9_]{1,20}$/), z.number().int().min(-1)]).optional(),
  })
  .refine((v) => v.waba_id !== undefined || v.phone_number_id !== undefined, {
    message: 'give waba_id or phone_number_id',
    path: ['waba_id'],
  });

export const ExpireTokensSchema = z.object({ waba_id: graphId });

/** `POST /sandbox/control/templates/{id}/review`: Meta's decision on a template. */
export const TemplateReviewSchema = z
  .object({
    status: z.enum(['APPROVED', 'REJECTED', 'PAUSED', 'DISABLED']),
    /** For REJECTED: Meta's reason (default INVALID_FORMAT). */
    reason: safeString()
      .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be one of Meta’s upper-case values')
      .optional(),
  })
  .strict();

/** The business writes from the WhatsApp Business app of a coexistence number. */
export const MessageEchoSchema = z.object({
  phone_number_id: graphId,
  to: waId,
  text: safeString().min(1).max(4096),
});

/** The business adds, edits (`add`) or removes a contact in the WhatsApp Business app. */
export const AppContactSchema = z.object({
  phone_number_id: graphId,
  phone_number: waId,
  full_name: safeString().trim().min(1).max(256).optional(),
  action: z.enum(['add', 'remove']).default('add'),
});

/** A history chunk, or (`declined: true`) the business turning history sharing off. */
export const HistorySchema = z.object({
  phone_number_id: graphId,
  declined: z.boolean().default(false),
});
