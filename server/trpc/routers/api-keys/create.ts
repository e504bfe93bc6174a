import { ApiKeyCreatedSchema, ApiKeyCreateSchema } from '../../../../shared/schemas/credentials.ts';
import { safeString } from '../../../../shared/schemas/safe-text.ts';
import { toApiKeyCreatedView } from '../../../modules/api-keys/api-key-view.ts';
import { apiKeyDepsFrom, createChannelApiKey } from '../../../modules/api-keys/api-keys.service.ts';
import { idempotent } from '../../idempotency.ts';
import { partnerProcedure } from '../../trpc.ts';

export const create = partnerProcedure
  .input(ApiKeyCreateSchema.extend({ channel_id: safeString().max(64) }).strict())
  .output(ApiKeyCreatedSchema)
  .mutation(({ ctx, input, path }) =>
    idempotent(ctx, path, input, async () => {
      return toApiKeyCreatedView(
        await createChannelApiKey(
          ctx.em,
          apiKeyDepsFrom(ctx.deps),
          ctx.partner,
          input.channel_id,
          { gracePeriodSeconds: input.grace_period_seconds },
          ctx.actor,
        ),
      );
    }),
  );
