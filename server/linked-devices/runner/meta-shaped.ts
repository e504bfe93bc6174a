import type { InboundDeviceMessage } from '../connector.ts';

/*
 * A linked device's traffic in the Cloud API's webhook shape, so it takes the same path as Meta's
 * (routeMetaPayloads: stored, deduplicated, logged, fanned out to every partner holding the
 * number, signed and retried) and an app reads both kinds of channel the same way. The session id
 * stands where Meta puts the WABA and phone number ids (the channel's `waba_id` and
 * `phone_number_id` are the session id).
 */

interface Number {
  sessionId: string;
  phoneNumber: string;
}

function envelope(n: Number, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: n.sessionId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: n.phoneNumber, phone_number_id: n.sessionId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

const unixSeconds = (d: Date) => String(Math.floor(d.getTime() / 1000));

/**
 * A received message's content as the Cloud API's webhook carries it: text, a reaction (no
 * `emoji` when it was removed, as Meta sends it) and a pinned location. Anything else (media,
 * contacts, polls) has no content the hub can relay: Meta's `unsupported` shape, naming the type.
 */
function contentOf(m: InboundDeviceMessage): Record<string, unknown> {
  if (m.type === 'text' && m.text !== null) return { type: 'text', text: { body: m.text } };
  if (m.reaction) {
    const { messageId, emoji } = m.reaction;
    return { type: 'reaction', reaction: { message_id: messageId, ...(emoji === null ? {} : { emoji }) } };
  }
  if (m.location) {
    const { latitude, longitude, name, address } = m.location;
    return {
      type: 'location',
      location: { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) },
    };
  }
  return {
    type: 'unsupported',
    errors: [
      {
        code: 131051,
        title: 'Message type unknown',
        message: 'Message type unknown',
        error_data: {
          details: `A linked-device message of type ${m.type}; text, reactions and locations are relayed`,
        },
      },
    ],
  };
}

/** A received message, in the Cloud API's webhook shape. */
export function inboundMessagePayload(n: Number, m: InboundDeviceMessage): Record<string, unknown> {
  const content = contentOf(m);
  return envelope(n, {
    contacts: [{ profile: { name: m.pushName ?? '' }, wa_id: m.from }],
    messages: [{ from: m.from, id: m.waMessageId, timestamp: unixSeconds(m.timestamp), ...content }],
  });
}

/** The `sent` status of a message the device sent (a linked device reports no delivery or read receipts). */
export function sentStatusPayload(n: Number, sent: { waMessageId: string; to: string; at: Date }) {
  return envelope(n, {
    statuses: [
      { id: sent.waMessageId, status: 'sent', timestamp: unixSeconds(sent.at), recipient_id: sent.to },
    ],
  });
}
