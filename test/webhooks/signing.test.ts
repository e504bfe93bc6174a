import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signDelivery } from '../../server/modules/webhooks/delivery/signing.ts';

const base = { eventType: 'ping', attemptId: 'att_1' };

describe('webhook signing', () => {
  it('reproduces the Standard Webhooks reference vector exactly', () => {
    const headers = signDelivery({
      ...base,
      eventId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: new Date(1614265330 * 1000),
      body: '{"test": 2432232314}',
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    });
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(headers['webhook-id']).toBe('msg_p5jXN8AQM9LWM0D4loKWxJek');
    expect(headers['webhook-timestamp']).toBe('1614265330');
  });

  it('is verified by the standardwebhooks library and by a hand-computed HMAC', () => {
    const secret = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
    const body = JSON.stringify({
      type: 'ping',
      timestamp: '2026-11-24T00:00:00.000Z',
      data: { message: 'hi' },
    });
    const now = new Date();
    const headers = signDelivery({ ...base, eventId: 'evt_1', timestamp: now, body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));

    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`evt_1.${headers['webhook-timestamp']}.${body}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(headers['x-hub-signature-256']).toBe(
      `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    );
    expect(headers).toMatchObject({
      'x-hub-event': 'ping',
      'x-hub-delivery': 'att_1',
      'content-type': 'application/json',
    });
  });

  it('sends both signatures during a rotation, each verifiable with its own secret', () => {
    const current = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const previous = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
    const body = '{"type":"ping"}';
    const headers = signDelivery({
      ...base,
      eventId: 'evt_2',
      timestamp: new Date(),
      body,
      secrets: [current, previous],
    });
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toEqual({ type: 'ping' });
    expect(new Webhook(previous).verify(body, headers)).toEqual({ type: 'ping' });
    expect(() =>
      new Webhook('whsec_dGhpcyBpcyBub3QgdGhlIHNlY3JldCBhdCBhbGw=').verify(body, headers),
    ).toThrow();
  });
});
