import { z } from 'zod';
import { ClientUpdateSchema } from '../../../../shared/schemas/client.ts';
import { safeString } from '../../../../shared/schemas/safe-text.ts';

export const ClientIdInput = z.strictObject({ client_id: safeString().max(64) });
export const ClientUpdateInput = ClientIdInput.extend(ClientUpdateSchema.shape).strict();
