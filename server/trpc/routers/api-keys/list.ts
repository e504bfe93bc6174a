import { ApiKeyListQuerySchema, ApiKeyListSchema } from '../../../../shared/schemas/credentials.ts';
import { safeString } from '../../../../shared/schemas/safe-text.ts';
import { toApiKeyView } from '../../../modules/api-keys/api-key-view.ts';
import { listChannelApiKeys } from '../../../modules/api-keys/api-keys.service.ts';
import { partnerProcedure } from '../../trpc.ts';

export const list = partnerProcedure
  .input(ApiKeyListQuerySchema.extend({ channel_id: safeString().max(64) }))
  .output(ApiKeyListSchema)
  .query(async ({ ctx, input }) => {
    const { channel_id, ...query } = input;
    const page = await listChannelApiKeys(ctx.em, ctx.deps.clock, ctx.partner, channel_id, query);
    return { api_keys: page.items.map(toApiKeyView), next_cursor: page.nextCursor };
  });
