import { z } from 'zod';
import { ClientUpdateSchema } from '../../../../shared/schemas/client.ts';

export const ClientIdInput = z.strictObject({ client_id: z.string().max(64) });
export const ClientUpdateInput = ClientIdInput.extend(ClientUpdateSchema.shape).strict();
