import type { MetaChange } from '../inbound/meta-changes.ts';
import { obj } from '../inbound/waba-fields.ts';
import type { LoggedMessage, StatusUpdate } from './message-log.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const list = (v: unknown) => (Array.isArray(v) ? v.map(obj) : []);

/** Meta's `timestamp` (seconds, as a string); the receiving time when it is missing or absurd. */
function timeOf(v: unknown, now: Date): Date {
  const seconds = Number(v);
  return Number.isFinite(seconds) && seconds > 0 && seconds < 1e11 ? new Date(seconds * 1000) : now;
}

/**
 * What a change adds to a channel's message log: the customer's messages and the statuses of
 * the app's (`messages`), and what the business sent from the WhatsApp Business app
 * (`smb_message_echoes`). Entries without Meta's id are skipped: there is nothing to key them by.
 */
export function logEntriesOf(
  change: MetaChange,
  channelId: string,
  now: Date,
): { messages: LoggedMessage[]; statuses: StatusUpdate[] } {
  const messages: LoggedMessage[] = [];
  const statuses: StatusUpdate[] = [];
  const v = change.value;
  if (change.field === 'messages') {
    const firstContact = list(v.contacts)[0];
    for (const m of list(v.messages)) {
      const wamid = str(m.id);
      if (!wamid) continue;
      messages.push({
        channelId,
        direction: 'inbound',
        wamid,
        contact: str(m.from) ?? str(m.from_user_id) ?? str(firstContact?.user_id),
        type: str(m.type),
        source: 'customer',
        status: 'received',
        sentAt: timeOf(m.timestamp, now),
        payload: m,
      });
    }
    for (const s of list(v.statuses)) {
      const wamid = str(s.id);
      const status = str(s.status);
      if (!wamid || !status) continue;
      const error = list(s.errors)[0];
      statuses.push({
        channelId,
        wamid,
        status,
        at: timeOf(s.timestamp, now),
        contact: str(s.recipient_id) ?? str(s.recipient_user_id),
        errorCode: typeof error?.code === 'number' ? error.code : null,
        errorTitle: str(error?.title) ?? str(error?.message),
      });
    }
  } else if (change.field === 'smb_message_echoes') {
    for (const m of list(v.message_echoes)) {
      const wamid = str(m.id);
      if (!wamid) continue;
      messages.push({
        channelId,
        direction: 'outbound',
        wamid,
        contact: str(m.to),
        type: str(m.type),
        source: 'business_app',
        status: 'sent',
        sentAt: timeOf(m.timestamp, now),
        payload: m,
      });
    }
  }
  return { messages, statuses };
}
