import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../db/sql.ts';
import type { Hub } from '../hub.ts';
import { sendLinkedDeviceText } from '../linked-devices/linked-device-actions.service.ts';
import type { LinkedDeviceSession } from '../linked-devices/linked-device-session.entity.ts';
import { ChannelMessage } from '../modules/messages/channel-message.entity.ts';
import { logMessages } from '../modules/messages/message-log.ts';
import { whathooksContent } from '../modules/webhooks/delivery/whathooks-format.ts';
import { decodeCursor, type Page, type PageQuery, toPage } from '../pagination.ts';

/**
 * Sends a text through the session and logs it in the channel's message log, so it has the
 * `msg_…` id `GET /v1/messages` lists it under (the device's `sent` status, relayed like
 * Meta's, lands on the same row whichever comes first).
 */
export async function sendWhathooksMessage(
  deps: Hub,
  em: EntityManager,
  session: LinkedDeviceSession,
  input: { to: string; text: string },
) {
  const sent = await sendLinkedDeviceText(deps, session.id, input.to, input.text);
  const now = deps.clock.now();
  const channelId = session.channel.id;
  await logMessages(em, now, [
    {
      channelId,
      direction: 'outbound',
      wamid: sent.waMessageId,
      contact: sent.to,
      type: 'text',
      source: 'api',
      status: 'sent',
      sentAt: now,
      payload: { to: sent.to, type: 'text', text: { body: input.text } },
    },
  ]);
  const [row] = await query<{ id: string }>(
    em,
    'select id from channel_messages where channel_id = ? and wamid = ?',
    [channelId, sent.waMessageId],
  );
  return { id: row!.id, waMessageId: sent.waMessageId, sessionId: session.id, to: sent.to, status: 'sent' };
}

/** The message logs of the sessions' channels, newest first, one page. */
export async function listWhathooksMessages(
  em: EntityManager,
  channelIds: string[],
  page: PageQuery,
): Promise<Page<ChannelMessage>> {
  if (channelIds.length === 0) return { items: [], nextCursor: null };
  const before = decodeCursor(page.cursor, 'channelMessage');
  const rows = await em.find(
    ChannelMessage,
    { channel: { $in: channelIds }, ...(before ? { id: { $lt: before } } : {}) },
    { orderBy: { id: 'desc' }, limit: page.limit + 1 },
  );
  return toPage(rows, page.limit, (m) => m.id);
}

const textOf = (payload: Record<string, unknown> | null | undefined): string | null => {
  const text = payload?.text as { body?: unknown } | undefined;
  return typeof text?.body === 'string' ? text.body : null;
};

/** A logged message in whathooks' words: `from` for received ones, `to` for sent ones. */
export function toWhathooksMessage(m: ChannelMessage, sessionId: string) {
  const inbound = m.direction === 'inbound';
  return {
    id: m.id,
    sessionId,
    direction: m.direction,
    from: inbound ? (m.contact ?? null) : null,
    to: inbound ? null : (m.contact ?? null),
    type: m.type ?? null,
    text: textOf(m.payload),
    ...whathooksContent(m.type ?? null, m.payload ?? {}),
    waMessageId: m.wamid,
    status: m.status,
    timestamp: m.sentAt.toISOString(),
  };
}
