import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { MessageListQuery, MessageView } from '../../../shared/schemas/messages.ts';
import { decodeCursor, type Page, toPage } from '../../pagination.ts';
import { ChannelMessage } from './channel-message.entity.ts';

/**
 * A channel's message log, newest first, walked on `(channel_id, id)`. The caller has already
 * checked who may read the channel (a grant, or the channel's key).
 */
export async function listChannelMessages(
  em: EntityManager,
  channelId: string,
  query: MessageListQuery,
): Promise<Page<ChannelMessage>> {
  const before = decodeCursor(query.cursor, 'channelMessage');
  const where: FilterQuery<ChannelMessage> = { channel: channelId };
  if (before) where.id = { $lt: before };
  if (query.direction) where.direction = query.direction;
  if (query.contact) where.contact = query.contact.replace(/^\+/, '');
  if (query.status) where.status = query.status;
  if (query.since || query.until) {
    where.sentAt = {
      ...(query.since ? { $gte: new Date(query.since) } : {}),
      ...(query.until ? { $lt: new Date(query.until) } : {}),
    };
  }
  const rows = await em.find(ChannelMessage, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
  return toPage(rows, query.limit, (m) => m.id);
}

export function toMessageView(m: ChannelMessage): MessageView {
  return {
    id: m.id,
    channel_id: m.channel.id,
    direction: m.direction,
    wamid: m.wamid,
    contact: m.contact ?? null,
    type: m.type ?? null,
    source: m.source,
    status: m.status,
    status_at: m.statusAt.toISOString(),
    error:
      m.errorCode != null || m.errorTitle ? { code: m.errorCode ?? null, title: m.errorTitle ?? null } : null,
    payload: m.payload ?? null,
    sent_at: m.sentAt.toISOString(),
  };
}

export function toMessagePage(page: Page<ChannelMessage>) {
  return { messages: page.items.map(toMessageView), next_cursor: page.nextCursor };
}
