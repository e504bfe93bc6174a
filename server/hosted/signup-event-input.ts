import type { Request } from 'express';
import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';
import type { SignupSessionEventType } from '../../shared/statuses.ts';
import { AppError } from '../errors.ts';
import { parseOrFail } from '../rest/validation.ts';

/** The largest session-info message a page may forward; Meta's are a few hundred bytes. */
export const MAX_SIGNUP_EVENT_BYTES = 4096;

const metaId = safeString().regex(/^\d{1,32}$/, 'must be a numeric Meta id');
/** Meta sends ids and timestamps as strings, sometimes as numbers. */
const token = (max: number) =>
  z
    .union([safeString(), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)])
    .transform(String)
    .pipe(safeString().regex(new RegExp(`^[A-Za-z0-9_.:-]{1,${max}}$`), 'must be an identifier'));
const step = safeString().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an Embedded Signup step name');

const ErrorData = z.object({
  error_message: safeString().trim().min(1).max(500),
  error_id: token(64).optional(),
  session_id: token(128).optional(),
  timestamp: token(32).optional(),
});

const envelope = {
  type: z.literal('WA_EMBEDDED_SIGNUP'),
  version: token(8).optional(),
};

/**
 * A `WA_EMBEDDED_SIGNUP` message as the popup posted it to the page, forwarded as is. The
 * envelope is strict; `data` keeps the fields Meta documents for each event (each checked) and
 * drops others Meta may add. A CANCEL carrying an error (how Meta's v2 reported errors) counts
 * as an ERROR.
 */
export const SignupSessionEventInputSchema = z
  .discriminatedUnion('event', [
    z.strictObject({
      ...envelope,
      event: z.literal('FINISH'),
      data: z.object({ waba_id: metaId, phone_number_id: metaId, business_id: metaId.optional() }),
    }),
    z.strictObject({
      ...envelope,
      event: z.literal('FINISH_ONLY_WABA'),
      data: z.object({ waba_id: metaId, business_id: metaId.optional() }),
    }),
    z.strictObject({
      ...envelope,
      event: z.literal('FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING'),
      data: z.object({
        waba_id: metaId,
        phone_number_id: metaId.optional(),
        business_id: metaId.optional(),
      }),
    }),
    z.strictObject({
      ...envelope,
      event: z.literal('CANCEL'),
      data: z.union([ErrorData, z.object({ current_step: step })]),
    }),
    z.strictObject({ ...envelope, event: z.literal('ERROR'), data: ErrorData }),
  ])
  .transform((m): SignupSessionEventInput => {
    const d = m.data as Partial<Record<string, string | undefined>>;
    const isError = 'error_message' in m.data;
    return {
      event: isError ? 'ERROR' : m.event,
      currentStep: d.current_step ?? null,
      wabaId: d.waba_id ?? null,
      phoneNumberId: d.phone_number_id ?? null,
      businessId: d.business_id ?? null,
      errorMessage: d.error_message ?? null,
      errorId: d.error_id ?? null,
      metaSessionId: d.session_id ?? null,
    };
  });

export interface SignupSessionEventInput {
  event: SignupSessionEventType;
  currentStep: string | null;
  wabaId: string | null;
  phoneNumberId: string | null;
  businessId: string | null;
  errorMessage: string | null;
  errorId: string | null;
  metaSessionId: string | null;
}

/**
 * The outcome a page posted, checked before anything touches the database: JSON only, at most
 * MAX_SIGNUP_EVENT_BYTES, and a message Meta documents (400 `validation_failed` otherwise).
 */
export function signupEventOf(req: Request): SignupSessionEventInput {
  if (!req.is('application/json'))
    throw new AppError('unsupported_media_type', 'Send the signup event as application/json');
  const size = Number(req.headers['content-length'] ?? JSON.stringify(req.body ?? null).length);
  if (!(size <= MAX_SIGNUP_EVENT_BYTES))
    throw new AppError('payload_too_large', `A signup event is at most ${MAX_SIGNUP_EVENT_BYTES} bytes`);
  return parseOrFail(SignupSessionEventInputSchema, req.body, 'body');
}
