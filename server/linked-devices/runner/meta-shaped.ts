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

/** A received message. Anything but text has no content the hub can relay: Meta's `unsupported` shape. */
export function inboundMessagePayload(n: Number, m: InboundDeviceMessage): Record<string, unknown> {
  const content =
    m.type === 'text' && m.text !== null
      ? { type: 'text', text: { body: m.text } }
      : {
          type: 'unsupported',
          errors: [
            {
              code: 131051,
              title: 'Message type unknown',
              message: 'Message type unknown',
              error_data: { details: `A linked-device message of type ${m.type}; only text is relayed` },
            },
          ],
        };
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
