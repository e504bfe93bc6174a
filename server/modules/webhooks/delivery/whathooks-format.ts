import { isInboundEventType } from '../../../../shared/events.ts';

/*
 * whathooks' delivery body, `{event, sessionId, data, timestamp}`, made from an event as the hub
 * stored it (a lifecycle envelope, or Meta's envelope for inbound traffic) when an endpoint asks
 * for that format. The stored event is never changed: this is only what goes over the wire.
 * The mapping is documented in docs/linked-devices.md ("whathooks migration mapping").
 */

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const first = (v: unknown): Json => (Array.isArray(v) ? obj(v[0]) : {});
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Meta's unix seconds (a string of digits) as an ISO time; null when it is not one. */
function isoFromUnix(v: unknown): string | null {
  const s = typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  if (!/^\d{1,12}$/.test(s)) return null;
  return new Date(Number(s) * 1000).toISOString();
}

/** The one change of an inbound event's Meta envelope: its session (phone number id) and value. */
function inboundChange(body: Json): { sessionId: string | null; value: Json } {
  const change = first(first(body.entry).changes);
  const value = obj(change.value);
  return { sessionId: strOrNull(obj(value.metadata).phone_number_id), value };
}

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The content whathooks' messages have no field for (they carry `text` only), added under the
 * type's name in whathooks' camelCase; a whathooks client reading `text` is unaffected. A
 * removed reaction has `emoji: null` (Meta's envelope omits it). `message` is Meta's message
 * object, as webhooks carry it and the message log stores it. Also `GET /v1/messages`'s.
 */
export function whathooksContent(type: string | null, message: Json): Json {
  if (type === 'reaction') {
    const r = obj(message.reaction);
    return { reaction: { messageId: strOrNull(r.message_id), emoji: strOrNull(r.emoji) } };
  }
  if (type === 'location') {
    const l = obj(message.location);
    return {
      location: {
        latitude: numOrNull(l.latitude),
        longitude: numOrNull(l.longitude),
        name: strOrNull(l.name),
        address: strOrNull(l.address),
      },
    };
  }
  return {};
}

/** whathooks' `message.received` data, from the first message of Meta's `messages` change. */
function receivedMessage(eventId: string, sessionId: string | null, value: Json): Json {
  const message = first(value.messages);
  const type = strOrNull(message.type);
  return {
    // The hub's event id: stable across retries, unique per message and partner (dedupe on it).
    id: eventId,
    sessionId,
    from: strOrNull(message.from),
    pushName: strOrNull(obj(first(value.contacts).profile).name) || null,
    type,
    text: type === 'text' ? strOrNull(obj(message.text).body) : null,
    waMessageId: strOrNull(message.id),
    timestamp: isoFromUnix(message.timestamp),
    ...whathooksContent(type, message),
  };
}

function lifecycleData(type: string, data: Json): { sessionId: string | null; data: Json } {
  const sessionId = strOrNull(data.session_id);
  if (type === 'session.status')
    return {
      sessionId,
      data: {
        sessionId,
        status: data.status ?? null,
        previousStatus: data.previous_status ?? null,
        reason: data.reason ?? null,
        phoneNumber: data.phone_number ?? null,
      },
    };
  if (type === 'session.qr')
    return {
      sessionId,
      data: {
        sessionId,
        qr: data.qr ?? null,
        pairingCode: data.pairing_code ?? null,
        expiresAt: data.expires_at ?? null,
      },
    };
  // Events whathooks has no counterpart for: the hub's data as it is (snake_case).
  return { sessionId, data };
}

/**
 * The body sent to a whathooks-format endpoint. `timestamp` is when this attempt was made
 * (whathooks sends the delivery's time; the message's own time is `data.timestamp`).
 */
export function whathooksBody(
  event: { eventId: string; eventType: string; body: string },
  sentAt: Date,
): string {
  const stored = obj(JSON.parse(event.body));
  let shaped: { sessionId: string | null; data: Json };
  if (isInboundEventType(event.eventType)) {
    const { sessionId, value } = inboundChange(stored);
    shaped =
      event.eventType === 'message.received' && Array.isArray(value.messages)
        ? { sessionId, data: receivedMessage(event.eventId, sessionId, value) }
        : { sessionId, data: value };
  } else {
    shaped = lifecycleData(event.eventType, obj(stored.data));
  }
  return JSON.stringify({
    event: event.eventType,
    sessionId: shaped.sessionId,
    data: shaped.data,
    timestamp: sentAt.toISOString(),
  });
}
