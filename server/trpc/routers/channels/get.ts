import { z } from 'zod';
import { ChannelViewSchema } from '../../../../shared/schemas/channel.ts';
import { safeString } from '../../../../shared/schemas/safe-text.ts';
import { toChannelView } from '../../../modules/channels/channel-view.ts';
import { getChannelGrantedTo } from '../../../modules/channels/channels.service.ts';
import { partnerProcedure } from '../../trpc.ts';

export const get = partnerProcedure
  .input(z.strictObject({ channel_id: safeString().max(64) }))
  .output(ChannelViewSchema)
  .query(async ({ ctx, input }) =>
    toChannelView(await getChannelGrantedTo(ctx.em, ctx.partner, input.channel_id)),
  );
