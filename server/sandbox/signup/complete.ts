import type { Request, Response } from 'express';
import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import type { Hub } from '../../hub.ts';
import { parseOrFail } from '../../rest/validation.ts';
import { normalisePhoneNumber, PHONE_DIGITS } from '../phone-format.ts';
import { createWabaWithoutNumber, findOrCreateAccount } from '../store/accounts.ts';
import { issueAuthCode } from '../store/credentials.ts';
import { inTransaction } from '../store/db.ts';

/** What the simulated Embedded Signup collects; the dialog shows these messages next to its fields. */
export const SignupCompleteSchema = z.object({
  business_name: z
    .string({ error: 'Enter the business name' })
    .trim()
    .min(1, 'Enter the business name')
    .max(200, 'Use at most 200 characters'),
  phone_number: z
    .string({ error: 'Enter the phone number' })
    .transform(normalisePhoneNumber)
    .pipe(
      safeString()
        .min(1, 'Enter the phone number')
        .regex(PHONE_DIGITS, 'Enter the number with its country code, 8 to 15 digits, e.g. +1 555 000 1111'),
    ),
  display_name: z
    .string({ error: 'Enter the display name' })
    .trim()
    .min(3, 'The display name needs at least 3 characters')
    .max(100, 'Use at most 100 characters'),
  connection_type: z
    .enum(['cloud_api', 'coexistence'], { error: 'Choose cloud_api or coexistence' })
    .default('cloud_api'),
  /** Add the number to this existing WABA (a business picking its WABA in the dialog) instead of a new one. */
  waba_id: safeString()
    .regex(/^\d{1,32}$/, 'Choose an existing WABA id')
    .optional(),
});

export type SignupCompleteInput = z.input<typeof SignupCompleteSchema>;

/** What Meta's popup ends with: the objects (session info) and the code for the token exchange. */
export interface SignupResult {
  code: string;
  business_id: string;
  waba_id: string;
  phone_number_id: string;
}

/**
 * Completes a simulated Embedded Signup: creates the business, WABA and number (or finds
 * them, when the number signed up before: a business reconnecting keeps its ids) and issues
 * a fresh 10-minute code whose token is scoped to exactly that WABA and business.
 */
export async function completeSignup(
  deps: Pick<Hub, 'orm' | 'clock'>,
  input: SignupCompleteInput,
): Promise<SignupResult> {
  const data = parseOrFail(SignupCompleteSchema, input, 'body');
  const now = deps.clock.now();
  return inTransaction(deps, async (q) => {
    const account = await findOrCreateAccount(
      q,
      {
        businessName: data.business_name,
        phoneNumber: data.phone_number,
        displayName: data.display_name,
        connectionType: data.connection_type,
        wabaId: data.waba_id,
      },
      now,
    );
    const code = await issueAuthCode(q, account, now);
    return {
      code,
      business_id: account.businessId,
      waba_id: account.wabaId,
      phone_number_id: account.phoneNumberId,
    };
  });
}

/** Finishing without a phone number: only the business name is asked. */
export const SignupWithoutNumberSchema = z.object({
  business_name: SignupCompleteSchema.shape.business_name,
  without_phone_number: z.literal(true),
});

/**
 * Completes a simulated Embedded Signup that ends before a number is added (Meta's
 * FINISH_ONLY_WABA): a new business and WABA with no number, and a code scoped to them.
 */
export async function completeSignupWithoutNumber(
  deps: Pick<Hub, 'orm' | 'clock'>,
  input: unknown,
): Promise<Omit<SignupResult, 'phone_number_id'>> {
  const data = parseOrFail(SignupWithoutNumberSchema, input, 'body');
  const now = deps.clock.now();
  return inTransaction(deps, async (q) => {
    const account = await createWabaWithoutNumber(q, data.business_name, now);
    const code = await issueAuthCode(q, account, now);
    return { code, business_id: account.businessId, waba_id: account.wabaId };
  });
}

/**
 * `POST /sandbox/embedded-signup/complete` → 201 {code, business_id, waba_id, phone_number_id};
 * with `without_phone_number: true`, 201 {code, business_id, waba_id}.
 */
export function completeSignupHandler(deps: Hub) {
  return async (req: Request, res: Response) => {
    const withoutNumber = (req.body as { without_phone_number?: unknown } | undefined)?.without_phone_number;
    res
      .status(201)
      .json(
        withoutNumber === true
          ? await completeSignupWithoutNumber(deps, req.body)
          : await completeSignup(deps, req.body),
      );
  };
}
