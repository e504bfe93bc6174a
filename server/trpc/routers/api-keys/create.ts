import { z } from 'zod';
import { ApiKeyCreatedSchema, ApiKeyCreateSchema } from '../../../../shared/schemas/credentials.ts';
import { createChannelApiKey } from '../../../modules/api-keys/api-keys.service.ts';
import { idempotent } from '../../idempotency.ts';
import { partnerProcedure } from '../../trpc.ts';

export const create = partnerProcedure
  .input(ApiKeyCreateSchema.extend({ channel_id: z.string().max(64) }).strict())
  .output(ApiKeyCreatedSchema)
  .mutation(({ ctx, input, path }) =>
    idempotent(ctx, path, input, async () => {
      const created = await createChannelApiKey(
        ctx.em,
        { clock: ctx.deps.clock, messagingAddress: `${ctx.deps.config.publicUrl}/waba` },
        ctx.partner,
        input.channel_id,
        { gracePeriodSeconds: input.grace_period_seconds },
        ctx.actor,
      );
      return {
        id: created.record.id,
        api_key: created.apiKey,
        address: created.address,
        created_at: created.record.createdAt.toISOString(),
      };
    }),
  );
