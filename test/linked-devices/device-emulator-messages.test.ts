import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectEmulated } from '../support/device-emulator.ts';

/** A linked emulated device: sending, receiving, and the phone going offline and coming back. */
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

async function paired() {
  const c = await connectEmulated();
  await tick();
  await c.phones.scan(c.args('qr')[0]!, '447700900123', 'Ada');
  return c;
}

/** Settles to the probe's answer, or 'pending' while it has none. */
function watch(probe: Promise<boolean>) {
  let answer: boolean | 'pending' = 'pending';
  void probe.then((value) => {
    answer = value;
  });
  return () => answer;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('sending', () => {
  it('is refused before the device is connected', async () => {
    const c = await connectEmulated();
    await tick();
    await expect(c.connection.sendText('447700900456', 'hi')).rejects.toMatchObject({
      code: 'channel_not_ready',
    });
    expect(c.phones.sent(c.sessionId)).toEqual([]);
  });

  it('once connected, records each message for its session, numbers and JIDs alike', async () => {
    const c = await paired();
    const first = await c.connection.sendText('+44 7700 900456', 'Hello');
    const second = await c.connection.sendText('447700900789@s.whatsapp.net', 'Again');
    expect(first.waMessageId).toMatch(/^3EB0[0-9A-F]{16}$/);
    expect(first.waMessageId).not.toBe(second.waMessageId);
    expect(c.phones.sent(c.sessionId)).toMatchObject([
      { waMessageId: first.waMessageId, to: '447700900456', text: 'Hello' },
      { waMessageId: second.waMessageId, to: '447700900789', text: 'Again' },
    ]);
    expect(c.phones.sent('another-session')).toEqual([]);
    await expect(c.connection.sendText('nobody', 'hi')).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('receiving', () => {
  it('an inbound play emits a message with a digits-only sender', async () => {
    const c = await paired();
    const played = c.phones.inbound(c.sessionId, { from: '+1 (555) 010-0200', text: 'Hi!', pushName: 'Cy' });
    expect(played.delivered).toBe(true);
    expect(c.args('message')).toEqual([
      {
        waMessageId: played.waMessageId,
        from: '15550100200',
        pushName: 'Cy',
        type: 'text',
        text: 'Hi!',
        timestamp: expect.any(Date),
      },
    ]);
    c.phones.inbound(c.sessionId, { from: '15550100200@s.whatsapp.net', type: 'image' });
    expect(c.args('message')[1]).toMatchObject({
      from: '15550100200',
      type: 'image',
      text: null,
      pushName: null,
    });
  });

  it('refuses a sender that is not a number, an empty text, and a session this process does not hold', async () => {
    const c = await paired();
    expect(() => c.phones.inbound(c.sessionId, { from: 'bob', text: 'x' })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
    expect(() => c.phones.inbound(c.sessionId, { from: '15550100200', text: '' })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
    expect(() => c.phones.inbound('elsewhere', { from: '15550100200', text: 'x' })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(c.args('message')).toEqual([]);
  });
});

describe('the phone offline', () => {
  it('connected but dead: probes time out, messages stop, then the socket times out and comes back online', async () => {
    const c = await paired();
    c.phones.phoneOffline(c.sessionId);
    const answer = watch(c.connection.probe(5_000));
    await tick(4_999);
    expect(answer()).toBe('pending');
    await tick(1);
    expect(answer()).toBe(false);

    const held = c.phones.inbound(c.sessionId, { from: '15550100200', text: 'are you there?' });
    expect(held.delivered).toBe(false);
    await c.connection.sendText('447700900456', 'lost');
    expect(c.phones.sent(c.sessionId)).toEqual([]);
    expect(c.names()).toEqual(['qr', 'connecting', 'connected']);

    await tick(24_999);
    expect(c.args('disconnected')).toEqual([]);
    await tick(1);
    expect(c.args('disconnected')).toEqual([{ code: 'timed_out', willReconnect: true }]);
    expect(await c.connection.probe(5_000)).toBe(false);

    c.phones.phoneOnline(c.sessionId);
    await tick();
    expect(c.names().slice(3)).toEqual(['disconnected', 'connecting', 'connected', 'message']);
    expect(c.args('message')[0]).toMatchObject({ waMessageId: held.waMessageId, text: 'are you there?' });
    expect(await c.connection.probe(5_000)).toBe(true);
  });

  it('back online before the timeout: probes answer, held messages arrive, no disconnect', async () => {
    const c = await paired();
    c.phones.phoneOffline(c.sessionId);
    c.phones.inbound(c.sessionId, { from: '15550100200', text: 'late' });
    await tick(10_000);
    c.phones.phoneOnline(c.sessionId);
    expect(await c.connection.probe(5_000)).toBe(true);
    expect(c.args('message')).toMatchObject([{ text: 'late' }]);
    await tick(600_000);
    expect(c.names()).toEqual(['qr', 'connecting', 'connected', 'message']);
  });

  it('reconnecting after a timeout finds the creds gone (logged out elsewhere): logged_out, loggedOut', async () => {
    const c = await paired();
    c.phones.phoneOffline(c.sessionId);
    await tick(30_000);
    await c.store.clear();
    c.phones.phoneOnline(c.sessionId);
    await tick();
    expect(c.names().slice(3)).toEqual(['disconnected', 'disconnected', 'loggedOut']);
    expect(c.args('disconnected')[1]).toEqual({ code: 'logged_out', willReconnect: false });
  });
});
