import { z } from 'zod';
import { safeString } from '../../../shared/schemas/safe-text.ts';
import { normalisePhoneNumber, PHONE_DIGITS } from '../phone-format.ts';

/*
 * The wire side of the linked-device plays: stricter than the play bodies the owning worker
 * accepts (sandbox/plays.ts `PlaySchema`), so bad input is refused here, before a command is queued.
 */

const phoneNumber = safeString()
  .max(32)
  .transform(normalisePhoneNumber)
  .pipe(safeString().regex(PHONE_DIGITS, 'must be a phone number with its country code, 8 to 15 digits'));
const name = safeString().trim().min(1).max(200).nullish();

export const SessionIdSchema = safeString().regex(/^sess_[A-Za-z0-9_-]{1,64}$/);

export const ScanSchema = z.strictObject({ phone_number: phoneNumber, name });

export const PairingCodeSchema = z.strictObject({
  code: safeString()
    .max(16)
    .transform((c) => c.toUpperCase().replace(/[\s-]/g, ''))
    .pipe(safeString().regex(/^[A-Z0-9]{8}$/, 'must be the eight-character pairing code')),
  name,
});

export const InboundSchema = z
  .strictObject({
    from: phoneNumber,
    text: safeString().min(1).max(4096).nullish(),
    push_name: name,
    /** Anything but `text` arrives as Meta's `unsupported`, as a linked device's media would. */
    type: safeString()
      .regex(/^[a-z_]{1,32}$/, 'must be a message type such as text or image')
      .default('text'),
  })
  .refine((v) => v.type !== 'text' || !!v.text, { message: 'a text message needs text', path: ['text'] });

/** The plays without a body; an empty or absent JSON body is fine, anything in it is not. */
export const EmptySchema = z.strictObject({});
