import { ChannelListQuerySchema, ChannelPageSchema } from '../../../../shared/schemas/channel.ts';
import { toChannelView } from '../../../modules/channels/channel-view.ts';
import { listChannelsGrantedTo } from '../../../modules/channels/channels.service.ts';
import { partnerProcedure } from '../../trpc.ts';

export const list = partnerProcedure
  .input(ChannelListQuerySchema.optional().transform((q) => ChannelListQuerySchema.parse(q ?? {})))
  .output(ChannelPageSchema)
  .query(async ({ ctx, input }) => {
    const page = await listChannelsGrantedTo(ctx.em, ctx.partner, input);
    return { channels: page.items.map(toChannelView), next_cursor: page.nextCursor };
  });
