import {
  getContentType,
  isPnUser,
  jidDecode,
  normalizeMessageContent,
  type proto,
  toNumber,
  type WAMessage,
} from 'baileys';
import type { InboundDeviceMessage } from '../connector.ts';

/** Signalling that rides on messages (key distribution, revokes, edits): not something a person sent. */
const NOT_MESSAGES = new Set<keyof proto.IMessage>([
  'protocolMessage',
  'senderKeyDistributionMessage',
  'messageContextInfo',
]);

/**
 * The hub's view of a message someone sent to the linked number, or null for what the hub does
 * not relay: our own messages (from the phone or this connection), groups, broadcasts and status
 * updates, signalling, and senders whose number WhatsApp hides (a LID without its phone number).
 */
export function toInboundMessage(message: WAMessage): InboundDeviceMessage | null {
  const { key } = message;
  if (key.fromMe || !key.id) return null;
  const from = senderNumber(key);
  if (!from) return null;
  // Ephemeral, view-once and edited wrappers hold the actual content one level down.
  const content = normalizeMessageContent(message.message);
  const kind = getContentType(content);
  if (!content || !kind || NOT_MESSAGES.has(kind)) return null;
  const text =
    kind === 'conversation'
      ? (content.conversation ?? '')
      : kind === 'extendedTextMessage'
        ? (content.extendedTextMessage?.text ?? '')
        : null;
  return {
    waMessageId: key.id,
    from,
    pushName: message.pushName ?? null,
    type: text === null ? kind.replace(/Message$/, '') : 'text',
    text,
    ...structured(content),
    timestamp: new Date(toNumber(message.messageTimestamp) * 1000),
  };
}

/** What the Cloud API also carries as content, without media: reactions and pinned locations. */
function structured(content: proto.IMessage): Pick<InboundDeviceMessage, 'reaction' | 'location'> {
  const reaction = content.reactionMessage;
  if (reaction?.key?.id) return { reaction: { messageId: reaction.key.id, emoji: reaction.text || null } };
  const location = content.locationMessage;
  if (
    location &&
    typeof location.degreesLatitude === 'number' &&
    typeof location.degreesLongitude === 'number'
  )
    return {
      location: {
        latitude: location.degreesLatitude,
        longitude: location.degreesLongitude,
        name: location.name || null,
        address: location.address || null,
      },
    };
  return {};
}

/** Digits of the sender's phone number: the chat JID, or its phone-number alternative when WhatsApp addresses the chat by LID. */
function senderNumber(key: WAMessage['key']): string | null {
  const jid = [key.remoteJid, key.remoteJidAlt].find((j) => j && isPnUser(j));
  const user = jid ? jidDecode(jid)?.user : undefined;
  return user && /^\d+$/.test(user) ? user : null;
}
