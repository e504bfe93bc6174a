import { z } from 'zod';
import { ApiKeyListSchema } from '../../../../shared/schemas/credentials.ts';
import { safeString } from '../../../../shared/schemas/safe-text.ts';
import { toApiKeyView } from '../../../modules/api-keys/api-key-view.ts';
import { listChannelApiKeys } from '../../../modules/api-keys/api-keys.service.ts';
import { partnerProcedure } from '../../trpc.ts';

export const list = partnerProcedure
  .input(z.strictObject({ channel_id: safeString().max(64) }))
  .output(ApiKeyListSchema)
  .query(async ({ ctx, input }) => ({
    api_keys: (await listChannelApiKeys(ctx.em, ctx.deps.clock, ctx.partner, input.channel_id)).map(
      toApiKeyView,
    ),
  }));
