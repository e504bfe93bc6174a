import { describe, expect, it } from 'vitest';
import type { InboundDeviceMessage } from '../../server/linked-devices/connector.ts';
import { inboundMessagePayload } from '../../server/linked-devices/runner/meta-shaped.ts';
import { whathooksBody } from '../../server/modules/webhooks/delivery/whathooks-format.ts';

const NUMBER = { sessionId: 'lds_01', phoneNumber: '4915122223333' };
const SENT_AT = new Date('2026-12-04T10:00:00.000Z');

/** whathooks' delivery body of a `message.received` stored as the runner stores a device's message. */
function received(message: Partial<InboundDeviceMessage>) {
  const stored = inboundMessagePayload(NUMBER, {
    waMessageId: 'WA1',
    from: '15551234567',
    pushName: 'Jane',
    type: 'text',
    text: null,
    timestamp: new Date('2026-12-04T09:59:00.000Z'),
    ...message,
  });
  const body = whathooksBody(
    { eventId: 'evt_1', eventType: 'message.received', body: JSON.stringify(stored) },
    SENT_AT,
  );
  return JSON.parse(body).data as Record<string, unknown>;
}

const common = {
  id: 'evt_1',
  sessionId: 'lds_01',
  from: '15551234567',
  pushName: 'Jane',
  waMessageId: 'WA1',
  timestamp: '2026-12-04T09:59:00.000Z',
};

describe("whathooks' message.received: text as whathooks sends it, reactions and locations under their type", () => {
  it('carries a text message in exactly whathooks’ fields', () => {
    expect(received({ type: 'text', text: 'Hi there!' })).toEqual({
      ...common,
      type: 'text',
      text: 'Hi there!',
    });
  });

  it('adds the reacted-to message and the emoji; a removed reaction has emoji null', () => {
    expect(received({ type: 'reaction', reaction: { messageId: 'WA0', emoji: '👍' } })).toEqual({
      ...common,
      type: 'reaction',
      text: null,
      reaction: { messageId: 'WA0', emoji: '👍' },
    });
    expect(received({ type: 'reaction', reaction: { messageId: 'WA0', emoji: null } })).toMatchObject({
      reaction: { messageId: 'WA0', emoji: null },
    });
  });

  it('adds a location with null for a missing name or address', () => {
    const pinned = { latitude: 52.52, longitude: 13.405, name: 'Shop', address: 'Main St 1' };
    expect(received({ type: 'location', location: pinned })).toEqual({
      ...common,
      type: 'location',
      text: null,
      location: pinned,
    });
    expect(
      received({ type: 'location', location: { latitude: -1.5, longitude: 0, name: null, address: null } }),
    ).toMatchObject({ location: { latitude: -1.5, longitude: 0, name: null, address: null } });
  });

  it('leaves what a linked device cannot relay as unsupported, with no content field', () => {
    expect(received({ type: 'image' })).toEqual({ ...common, type: 'unsupported', text: null });
  });
});
