import { DisconnectReason, type WAMessage } from 'baileys';
import { describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { loadAuthState } from '../../server/linked-devices/baileys/auth-state.ts';
import { BaileysConnector } from '../../server/linked-devices/baileys/baileys-connector.ts';
import { PostgresDeviceAuthStore } from '../../server/linked-devices/postgres-auth-store.ts';
import { useTestHub } from '../support/hub.ts';
import { ManualSchedule, recordEvents } from './device-harness.ts';
import { FakeBaileysSocket } from './fake-baileys-socket.ts';

const NUMBER = '4915112345678';
const ME = { id: `${NUMBER}:12@s.whatsapp.net`, name: 'Corner Shop' };
const BACKOFF = { initialMs: 1_000, maxMs: 4_000 };
let sessions = 0;

describe('the Baileys adapter, against a fake socket', () => {
  const hub = useTestHub();

  async function connect(options: { pairingPhoneNumber?: string; realTimers?: boolean } = {}) {
    const sessionId = `lds_test_${++sessions}`;
    const sockets: FakeBaileysSocket[] = [];
    const clock = new ManualSchedule();
    const store = new PostgresDeviceAuthStore(
      { em: () => hub.em(), secretBox: hub.deps.secretBox },
      sessionId,
    );
    const recorded = recordEvents();
    const connector = new BaileysConnector({
      makeSocket: (config) => {
        const socket = new FakeBaileysSocket(config);
        sockets.push(socket);
        return socket;
      },
      backoff: BACKOFF,
      random: () => 0.5,
      ...(options.realTimers ? {} : { schedule: clock.schedule }),
    });
    const connection = await connector.connect({
      sessionId,
      auth: store,
      events: recorded.events,
      pairingPhoneNumber: options.pairingPhoneNumber,
    });
    const socket = () => sockets.at(-1)!;
    const rows = () =>
      query<{ category: string; key_id: string; value_sealed: string }>(
        hub.em(),
        'select category, key_id, value_sealed from linked_device_auth where session_id = ?',
        [sessionId],
      );
    return { connection, sockets, socket, clock, store, rows, ...recorded };
  }

  it('forwards every new QR code, and asks for a pairing code instead when given a number', async () => {
    const qr = await connect();
    qr.socket().connection({ connection: 'connecting' });
    qr.socket().connection({ qr: '2@first' });
    qr.socket().connection({ qr: '2@second' });
    expect(qr.of('qr')).toEqual([['2@first'], ['2@second']]);
    // Not paired yet: "connecting" is the socket starting, not the phone accepting.
    expect(qr.of('connecting')).toEqual([]);

    const code = await connect({ pairingPhoneNumber: NUMBER });
    code.socket().connection({ qr: '2@first' });
    code.socket().connection({ qr: '2@second' });
    await expect.poll(() => code.of('pairingCode'), { timeout: 10_000 }).toEqual([['ABCD2345']]);
    expect(code.socket().pairingRequests).toEqual([NUMBER]);
    expect(code.of('qr')).toEqual([]);
  });

  it('reports the linked number once open, and frames as activity', async () => {
    const d = await connect();
    d.socket().connection({ isNewLogin: true, qr: undefined });
    expect(d.of('connecting')).toHaveLength(1);
    d.socket().open(ME);
    expect(d.of('connected')).toEqual([[{ phoneNumber: NUMBER, name: 'Corner Shop' }]]);
    d.socket().ws.emit('frame', {});
    expect(d.of('activity')).toHaveLength(1);
    expect(d.of('activity')[0]![0]).toBeInstanceOf(Date);
  });

  it('relays what people send: text, other types by name; never our own, groups or history', async () => {
    const d = await connect();
    d.socket().open(ME);
    const at = 1_764_800_000;
    const messages: WAMessage[] = [
      {
        key: { remoteJid: '447700900123@s.whatsapp.net', fromMe: false, id: 'A1' },
        message: { conversation: 'hi' },
        messageTimestamp: at,
        pushName: 'Ana',
      },
      // WhatsApp addresses some chats by LID; the phone number comes as the alternative JID.
      {
        key: {
          remoteJid: '1234567890@lid',
          remoteJidAlt: '447700900124@s.whatsapp.net',
          fromMe: false,
          id: 'A2',
        },
        message: { extendedTextMessage: { text: 'see https://example.com' } },
        messageTimestamp: at,
      },
      {
        key: { remoteJid: '447700900125@s.whatsapp.net', fromMe: false, id: 'A3' },
        message: { imageMessage: { caption: 'a photo', mimetype: 'image/jpeg' } },
        messageTimestamp: at,
        pushName: 'Bo',
      },
      {
        key: { remoteJid: '447700900123@s.whatsapp.net', fromMe: true, id: 'A4' },
        message: { conversation: 'my own reply' },
        messageTimestamp: at,
      },
      {
        key: {
          remoteJid: '120363000000000000@g.us',
          participant: '447700900126@s.whatsapp.net',
          fromMe: false,
          id: 'A5',
        },
        message: { conversation: 'group chatter' },
        messageTimestamp: at,
      },
    ];
    d.socket().upsert(messages);
    d.socket().upsert([{ ...messages[0]!, key: { ...messages[0]!.key, id: 'OLD' } }], 'append');
    expect(d.of('message').map(([m]) => m)).toEqual([
      {
        waMessageId: 'A1',
        from: '447700900123',
        pushName: 'Ana',
        type: 'text',
        text: 'hi',
        timestamp: new Date(at * 1000),
      },
      {
        waMessageId: 'A2',
        from: '447700900124',
        pushName: null,
        type: 'text',
        text: 'see https://example.com',
        timestamp: new Date(at * 1000),
      },
      {
        waMessageId: 'A3',
        from: '447700900125',
        pushName: 'Bo',
        type: 'image',
        text: null,
        timestamp: new Date(at * 1000),
      },
    ]);
  });

  it('relays a reaction (a removed one without emoji) and a pinned location with their content', async () => {
    const d = await connect();
    d.socket().open(ME);
    const at = 1_764_800_000;
    const key = (id: string) => ({ remoteJid: '447700900123@s.whatsapp.net', fromMe: false, id });
    d.socket().upsert([
      {
        key: key('R1'),
        message: { reactionMessage: { key: { id: 'OURS', fromMe: true }, text: '❤️' } },
        messageTimestamp: at,
      },
      {
        key: key('R2'),
        message: { reactionMessage: { key: { id: 'OURS', fromMe: true }, text: '' } },
        messageTimestamp: at,
      },
      {
        key: key('L1'),
        message: {
          locationMessage: { degreesLatitude: 51.5, degreesLongitude: -0.12, name: 'Office', address: '' },
        },
        messageTimestamp: at,
      },
    ]);
    const relayed = d.of('message').map(([m]) => m);
    expect(relayed.map((m) => [m.waMessageId, m.type, m.reaction ?? m.location])).toEqual([
      ['R1', 'reaction', { messageId: 'OURS', emoji: '❤️' }],
      ['R2', 'reaction', { messageId: 'OURS', emoji: null }],
      ['L1', 'location', { latitude: 51.5, longitude: -0.12, name: 'Office', address: null }],
    ]);
  });

  it('persists credentials on creds.update, sealed, and hands them to the next socket', async () => {
    const d = await connect();
    const { creds } = d.socket().config.auth;
    d.socket().updateCreds({ me: ME, registered: true });
    await expect.poll(async () => (await d.rows()).length, { timeout: 10_000 }).toBe(1);
    const [row] = await d.rows();
    expect([row!.category, row!.key_id]).toEqual(['creds', 'creds']);
    expect(row!.value_sealed).toMatch(/^v1\./);
    expect(row!.value_sealed).not.toContain(NUMBER);
    expect(row!.value_sealed).not.toContain(Buffer.from(creds.noiseKey.private).toString('base64'));
    const reloaded = (await loadAuthState(d.store)).state.creds;
    expect(reloaded.me).toEqual(ME);
    expect(Buffer.from(reloaded.noiseKey.private)).toEqual(Buffer.from(creds.noiseKey.private));
  });

  it('reconnects after a lost connection with jittered, doubling, capped waits, on the same credentials', async () => {
    const d = await connect();
    d.socket().updateCreds({ me: ME, registered: true });
    await expect.poll(async () => (await d.rows()).length, { timeout: 10_000 }).toBe(1);
    d.socket().open(ME);
    d.socket().close(DisconnectReason.connectionLost);
    expect(d.of('disconnected')).toEqual([[{ code: 'connection_lost', willReconnect: true }]]);
    // Half the ceiling fixed, half random (0.5 here): 1 s ceiling → 750 ms.
    expect(d.clock.pending()).toEqual([750]);
    for (const expected of [1_500, 3_000, 3_000]) {
      d.clock.runPending();
      await expect.poll(() => d.sockets.length, { timeout: 10_000 }).toBe(d.clock.waits.length + 1);
      d.socket().close(DisconnectReason.timedOut);
      expect(d.clock.pending()).toEqual([expected]);
    }
    d.clock.runPending();
    await expect.poll(() => d.sockets.length, { timeout: 10_000 }).toBe(5);
    const [first, latest] = [d.sockets[0]!.config.auth.creds, d.socket().config.auth.creds];
    expect(latest.me).toEqual(ME);
    expect(Buffer.from(latest.noiseKey.private)).toEqual(Buffer.from(first.noiseKey.private));
    // Back online: the next drop starts from the first wait again; a restart request does not wait.
    latest.account = {};
    d.socket().connection({ connection: 'connecting' });
    expect(d.of('connecting')).toHaveLength(1);
    d.socket().open(ME);
    d.socket().close(DisconnectReason.restartRequired);
    expect(d.clock.pending()).toEqual([0]);
    d.clock.runPending();
    await expect.poll(() => d.sockets.length, { timeout: 10_000 }).toBe(6);
    d.socket().close(DisconnectReason.connectionLost);
    expect(d.clock.pending()).toEqual([750]);
  });

  it('on loggedOut: reports it, forgets the credentials and does not reconnect', async () => {
    const d = await connect();
    d.socket().updateCreds({ me: ME, registered: true });
    await d.store.write([{ category: 'session', id: `${NUMBER}.0`, value: '{"k":1}' }]);
    await expect.poll(async () => (await d.rows()).length, { timeout: 10_000 }).toBe(2);
    d.socket().open(ME);
    d.socket().close(DisconnectReason.loggedOut);
    await expect.poll(() => d.of('loggedOut'), { timeout: 10_000 }).toHaveLength(1);
    expect(d.of('disconnected')).toEqual([[{ code: 'logged_out', willReconnect: false }]]);
    expect(await d.rows()).toEqual([]);
    expect(d.clock.pending()).toEqual([]);
    await expect(d.connection.sendText(NUMBER, 'hello')).rejects.toThrow(/not connected/);
  });

  it('sends text only while open, to the JID made from digits or given as is', async () => {
    const d = await connect();
    await expect(d.connection.sendText(NUMBER, 'too early')).rejects.toThrow(/not connected/);
    expect(d.socket().sent).toEqual([]);
    d.socket().open(ME);
    expect(await d.connection.sendText('447700900123', 'hello')).toEqual({ waMessageId: '3EB01' });
    await d.connection.sendText('+447700900124', 'hi');
    await d.connection.sendText('447700900125@s.whatsapp.net', 'hey');
    await expect(d.connection.sendText('not a number', 'x')).rejects.toThrow(/phone number/);
    expect(d.socket().sent).toEqual([
      { jid: '447700900123@s.whatsapp.net', content: { text: 'hello' } },
      { jid: '447700900124@s.whatsapp.net', content: { text: 'hi' } },
      { jid: '447700900125@s.whatsapp.net', content: { text: 'hey' } },
    ]);
    d.socket().close(DisconnectReason.connectionLost);
    await expect(d.connection.sendText(NUMBER, 'dropped')).rejects.toThrow(/not connected/);
  });

  it('probes with a ping round trip: true when answered, false when dead, timed out or not open', async () => {
    const d = await connect({ realTimers: true });
    expect(await d.connection.probe(50)).toBe(false);
    d.socket().open(ME);
    expect(await d.connection.probe(1_000)).toBe(true);
    d.socket().pingAnswer = 'undefined';
    expect(await d.connection.probe(1_000)).toBe(false);
    d.socket().pingAnswer = 'hang';
    const started = Date.now();
    expect(await d.connection.probe(100)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
    await d.connection.close();
  });

  it('close stops reconnecting and ignores what the socket still reports', async () => {
    const d = await connect();
    d.socket().open(ME);
    d.socket().close(DisconnectReason.connectionLost);
    expect(d.clock.pending()).toEqual([750]);
    await d.connection.close();
    expect(d.clock.pending()).toEqual([]);
    expect(d.of('disconnected').at(-1)).toEqual([{ code: 'closed', willReconnect: false }]);

    const open = await connect();
    open.socket().open(ME);
    await open.connection.close();
    expect(open.socket().ended).toBe(true);
    expect(open.of('disconnected')).toEqual([[{ code: 'closed', willReconnect: false }]]);
    expect(open.clock.pending()).toEqual([]);
    expect(open.sockets).toHaveLength(1);
  });

  it('logout unlinks the device and clears the store', async () => {
    const d = await connect();
    d.socket().updateCreds({ me: ME, registered: true });
    await expect.poll(async () => (await d.rows()).length, { timeout: 10_000 }).toBe(1);
    d.socket().open(ME);
    await d.connection.logout();
    expect(d.socket().loggedOut).toBe(true);
    expect(await d.rows()).toEqual([]);
    expect(d.of('loggedOut')).toHaveLength(1);
    expect(d.of('disconnected')).toEqual([[{ code: 'logged_out', willReconnect: false }]]);
    expect(d.clock.pending()).toEqual([]);
  });
});
