import { z } from 'zod';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { CONNECTION_TYPES } from '../../shared/statuses.ts';

const metaId = (what: string) => safeString().regex(/^\d{1,32}$/, `must be a ${what} id`);

/**
 * What a hosted page's script posts after Embedded Signup (the FB.login code and the ids of
 * the FINISH message), as the provisioning service takes it. Without `phone_number_id` (a
 * FINISH_ONLY_WABA), the WABA is recorded and no channel is made yet.
 */
export const EmbeddedSignupResultSchema = z
  .object({
    code: safeString().min(1).max(2000),
    waba_id: metaId('WABA'),
    phone_number_id: metaId('phone number').optional(),
    business_id: metaId('business').optional(),
    connection_type: z.enum(CONNECTION_TYPES).optional(),
  })
  .transform((b) => ({
    code: b.code,
    wabaId: b.waba_id,
    phoneNumberId: b.phone_number_id,
    businessId: b.business_id,
    connectionType: b.connection_type,
  }));
