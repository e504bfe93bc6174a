import type { EntityManager } from '@mikro-orm/postgresql';
import { logMessages, markInboundRead } from './message-log.ts';

function parseObject(bytes: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
const first = (v: unknown): Record<string, unknown> | undefined =>
  Array.isArray(v) && v[0] && typeof v[0] === 'object' ? (v[0] as Record<string, unknown>) : undefined;
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * Logs what the app sent through `/waba/messages`, from the request and Meta's answer: a message
 * Meta accepted (`messages[0].id`), or a customer's message marked as read. Refused sends are
 * not messages and are not logged. Called after the answer went out, so the log never delays a
 * send; a message whose log write is lost (a crash in between) is logged by its first status.
 */
export async function logSend(
  em: EntityManager,
  now: Date,
  channelId: string,
  request: Buffer,
  response: { status: number; body: Buffer },
): Promise<void> {
  const sent = parseObject(request);
  if (!sent) return;
  if (sent.status === 'read' && str(sent.message_id)) {
    if (response.status >= 200 && response.status < 300) {
      await markInboundRead(em, now, channelId, str(sent.message_id)!);
    }
    return;
  }
  if (response.status < 200 || response.status >= 300) return;
  const answer = parseObject(response.body);
  const message = first(answer?.messages);
  const wamid = str(message?.id);
  if (!wamid) return;
  await logMessages(em, now, [
    {
      channelId,
      direction: 'outbound',
      wamid,
      contact: str(first(answer?.contacts)?.wa_id) ?? str(sent.to) ?? str(sent.recipient),
      type: str(sent.type) ?? 'text',
      source: 'api',
      status: str(message?.message_status) ?? 'accepted',
      sentAt: now,
      payload: sent,
    },
  ]);
}
