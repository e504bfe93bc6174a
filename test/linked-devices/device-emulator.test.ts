import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmulatedPhones } from '../../server/linked-devices/sandbox/emulated-phones.ts';
import { connectEmulated } from '../support/device-emulator.ts';

/** The emulator's pairing and session life: QR codes, pairing codes, stored creds, logout, close. */
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

async function paired(options: Parameters<typeof connectEmulated>[0] = {}) {
  const c = await connectEmulated(options);
  await tick();
  await c.phones.scan(c.args('qr')[0]!, '+44 7700 900123', 'Ada');
  return c;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('pairing with a QR code', () => {
  it('shows a QR once connect has returned, then a fresh one every qrRefreshMs, each replacing the last', async () => {
    const c = await connectEmulated();
    expect(c.names()).toEqual([]);
    await tick();
    expect(c.args('qr')).toHaveLength(1);
    await tick(999);
    expect(c.args('qr')).toHaveLength(1);
    await tick(1);
    await tick(1_000);
    const codes = c.args('qr');
    expect(codes).toHaveLength(3);
    expect(new Set(codes).size).toBe(3);
    for (const code of codes) expect(code).toMatch(/^2@[^,]+,[^,]+,[^,]+,[^,]+$/);
    // A replaced QR no longer pairs.
    await expect(c.phones.scan(codes[0]!, '447700900123')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives up with qr_timeout, for good, after qrCodeLimit codes', async () => {
    const c = await connectEmulated();
    await tick(2_999);
    expect(c.names()).toEqual(['qr', 'qr', 'qr']);
    await tick(1);
    expect(c.names()).toEqual(['qr', 'qr', 'qr', 'disconnected']);
    expect(c.args('disconnected')).toEqual([{ code: 'qr_timeout', willReconnect: false }]);
    await tick(60_000);
    expect(c.names()).toHaveLength(4);
    await expect(c.phones.scan(c.args('qr')[2]!, '447700900123')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('a scan links the number: connecting, connected with number and name, creds stored, no more QRs', async () => {
    const c = await paired();
    expect(c.names()).toEqual(['qr', 'connecting', 'connected']);
    expect(c.args('connected')).toEqual([{ phoneNumber: '447700900123', name: 'Ada' }]);
    expect(JSON.parse(c.store.entries.get('creds/device')!)).toMatchObject({ phoneNumber: '447700900123' });
    await tick(60_000);
    expect(c.names()).toEqual(['qr', 'connecting', 'connected']);
    // The QR is used up.
    await expect(c.phones.scan(c.args('qr')[0]!, '447700900999')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('a scan may name the session instead of the payload; a bad phone number is refused', async () => {
    const c = await connectEmulated({ sessionId: 'session-9' });
    await tick();
    await expect(c.phones.scan('session-9', 'not a number')).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(c.phones.scan('session-8', '447700900123')).rejects.toMatchObject({ code: 'not_found' });
    await c.phones.scan('session-9', '447700900123');
    expect(c.args('connected')).toEqual([{ phoneNumber: '447700900123', name: null }]);
  });
});

describe('pairing with a code', () => {
  it('emits one pairing code instead of QRs; typing it on the phone links the requested number', async () => {
    const c = await connectEmulated({ pairingPhoneNumber: '+1 555 010 0199' });
    await tick(2_000);
    expect(c.names()).toEqual(['pairingCode']);
    const code = c.args('pairingCode')[0]!;
    expect(code).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/);
    await expect(c.phones.enterPairingCode('WRONG999')).rejects.toMatchObject({ code: 'not_found' });
    await c.phones.enterPairingCode(`${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`, 'Bob');
    expect(c.names()).toEqual(['pairingCode', 'connecting', 'connected']);
    expect(c.args('connected')).toEqual([{ phoneNumber: '15550100199', name: 'Bob' }]);
  });

  it('expires with qr_timeout when the QR codes would have; a malformed number is refused up front', async () => {
    const c = await connectEmulated({ pairingPhoneNumber: '15550100199' });
    await tick(2_999);
    expect(c.args('disconnected')).toEqual([]);
    await tick(1);
    expect(c.args('disconnected')).toEqual([{ code: 'qr_timeout', willReconnect: false }]);
    await expect(c.phones.enterPairingCode(c.args('pairingCode')[0]!)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(connectEmulated({ pairingPhoneNumber: 'call me' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('stored credentials', () => {
  it('another process on the same store reconnects straight to connected, without a QR', async () => {
    const first = await paired();
    await first.connection.close();
    const second = await connectEmulated({ phones: new EmulatedPhones(), store: first.store });
    await tick(600_000);
    expect(second.names()).toEqual(['connecting', 'connected']);
    expect(second.args('connected')).toEqual([{ phoneNumber: '447700900123', name: 'Ada' }]);
    await second.connection.sendText('447700900456', 'still here');
    expect(second.phones.sent('session-1')).toHaveLength(1);
  });

  it('a second connection of a session in the same process replaces the first', async () => {
    const first = await paired();
    const second = await connectEmulated({ phones: first.phones, store: first.store });
    await tick();
    expect(first.args('disconnected')).toEqual([{ code: 'replaced', willReconnect: false }]);
    expect(second.names()).toEqual(['connecting', 'connected']);
    await expect(first.connection.sendText('447700900456', 'hi')).rejects.toMatchObject({
      code: 'channel_not_ready',
    });
  });
});

describe('logging out and closing', () => {
  it('unlinked from the phone: creds void, logged_out then loggedOut, and the next connect shows a QR', async () => {
    const c = await paired();
    await c.phones.loggedOut(c.sessionId);
    expect(c.store.entries.size).toBe(0);
    expect(c.names().slice(-2)).toEqual(['disconnected', 'loggedOut']);
    expect(c.args('disconnected')).toEqual([{ code: 'logged_out', willReconnect: false }]);
    await expect(c.connection.sendText('447700900456', 'hi')).rejects.toMatchObject({
      code: 'channel_not_ready',
    });
    const again = await connectEmulated({ phones: c.phones, store: c.store });
    await tick();
    expect(again.names()).toEqual(['qr']);
  });

  it('logout clears the store and emits loggedOut', async () => {
    const c = await paired();
    await c.connection.logout();
    expect(c.store.entries.size).toBe(0);
    expect(c.names().at(-1)).toBe('loggedOut');
  });

  it('close while showing QRs stops every timer and withdraws the QR', async () => {
    const c = await connectEmulated();
    await tick();
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await c.connection.close();
    expect(vi.getTimerCount()).toBe(0);
    await tick(600_000);
    expect(c.names()).toEqual(['qr']);
    await expect(c.phones.scan(c.args('qr')[0]!, '447700900123')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('close on a dead link answers the pending probe, stops the timeout and emits nothing more', async () => {
    const c = await paired();
    c.phones.phoneOffline(c.sessionId);
    const probe = c.connection.probe(5_000);
    expect(vi.getTimerCount()).toBe(2);
    const before = c.log.length;
    await c.connection.close();
    expect(vi.getTimerCount()).toBe(0);
    await expect(probe).resolves.toBe(false);
    await tick(600_000);
    expect(c.log).toHaveLength(before);
  });
});
