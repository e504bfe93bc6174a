import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import {
  awaitCommand,
  enqueueCommand,
  pruneCommands,
  takeCommands,
} from '../../server/linked-devices/commands.ts';
import {
  logoutLinkedDevice,
  playOnDevice,
  sendLinkedDeviceText,
} from '../../server/linked-devices/linked-device-actions.service.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { readSession, sessionEvents, startTestRunner, waitForSession } from '../support/linked-devices.ts';

const ACTOR = { type: 'operator', id: 'test' } as const;
const PHONE = '4915112345678';

describe('the linked-device runner: pairing, messages and logout through the worker that holds a session', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });
  let runner: LinkedDeviceRunner;
  let partner: Partner;
  let client: Client;

  beforeAll(async () => {
    const em = hub.em();
    partner = (await partnerFactory(em, hub.deps)).partner;
    client = await clientFactory(em, partner);
    runner = startTestRunner(hub);
  });
  afterAll(() => runner.stop());

  const newSession = (name = 'Front desk') =>
    createLinkedDeviceSession(hub.em(), hub.deps, { partner, client, name }, ACTOR);

  it('shows a QR, pairs when the phone scans it, and the channel goes live with the linked number', async () => {
    const created = await newSession();
    expect(created.status).toBe('PENDING');
    expect(created.channel.connectionType).toBe('linked_device');
    expect(created.channel.phoneNumberId).toBe(created.id);

    const qr = await waitForSession(hub, created.id, 'QR', (s) => !!s.qr);
    expect(qr.ownerId).toBe(runner.ownerId);
    expect(qr.pairingExpiresAt!.getTime()).toBeGreaterThan(hub.clock.now().getTime());

    await playOnDevice(hub.deps, qr, { play: 'scan', phone_number: PHONE, name: 'Corner Shop' });
    const connected = await waitForSession(hub, created.id, 'CONNECTED');
    expect(connected).toMatchObject({ phoneNumber: PHONE, pushName: 'Corner Shop', qr: null });
    expect(connected.channel).toMatchObject({
      status: 'live',
      phoneNumber: PHONE,
      displayName: 'Corner Shop',
    });

    const statuses = (await sessionEvents(hub, 'session.status', created.id)).map((d) => d.status);
    expect(statuses).toEqual(['PENDING', 'QR', 'CONNECTING', 'CONNECTED']);
    const [qrEvent] = await sessionEvents(hub, 'session.qr', created.id);
    expect(qrEvent).toMatchObject({ session_id: created.id, qr: qr.qr, channel_id: created.channel.id });
  });

  it('sends through the device and relays inbound messages in the Cloud API shape', async () => {
    const session = await newSession();
    await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    await playOnDevice(hub.deps, session, { play: 'scan', phone_number: '4915199999999' });
    await waitForSession(hub, session.id, 'CONNECTED');

    const sent = await sendLinkedDeviceText(hub.deps, session.id, '+4917612345678', 'Your order is ready');
    expect(sent).toEqual({ waMessageId: expect.any(String), to: '4917612345678' });
    const echoed = await playOnDevice(hub.deps, session, { play: 'sent' });
    expect(echoed.messages).toEqual([
      expect.objectContaining({
        wa_message_id: sent.waMessageId,
        to: '4917612345678',
        text: 'Your order is ready',
      }),
    ]);

    const inbound = await playOnDevice(hub.deps, session, {
      play: 'inbound',
      from: '4917612345678',
      text: 'Thanks!',
      push_name: 'Jane',
    });
    expect(inbound.delivered).toBe(true);
    await expect
      .poll(async () => (await sessionEvents(hub, 'message.received', session.id)).length, { timeout: 5_000 })
      .toBe(1);
    const [row] = await query<{ body: string; channel_id: string }>(
      hub.em(),
      `select body, channel_id from webhook_events where type = 'message.received' and body like ?`,
      [`%${session.id}%`],
    );
    expect(row!.channel_id).toBe(session.channel.id);
    const value = JSON.parse(row!.body).entry[0].changes[0].value;
    expect(value.metadata.phone_number_id).toBe(session.id);
    expect(value.messages[0]).toMatchObject({
      from: '4917612345678',
      type: 'text',
      text: { body: 'Thanks!' },
    });
    expect(value.contacts[0].profile.name).toBe('Jane');
    await expect
      .poll(async () => (await readSession(hub.em(), session.id)).lastMessageAt !== null, { timeout: 5_000 })
      .toBe(true);
  });

  it('relays reactions (also removed ones) and locations in the Cloud API shape; other types as unsupported', async () => {
    const session = await newSession();
    await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    await playOnDevice(hub.deps, session, { play: 'scan', phone_number: '4915188888888' });
    await waitForSession(hub, session.id, 'CONNECTED');
    const from = '4917612345678';
    await playOnDevice(hub.deps, session, {
      play: 'inbound',
      from,
      reaction: { message_id: 'wamid.ours', emoji: '👍' },
    });
    await playOnDevice(hub.deps, session, { play: 'inbound', from, reaction: { message_id: 'wamid.ours' } });
    await playOnDevice(hub.deps, session, {
      play: 'inbound',
      from,
      location: { latitude: 52.52, longitude: 13.405, name: 'Shop', address: 'Alexanderplatz 1' },
    });
    await playOnDevice(hub.deps, session, { play: 'inbound', from, type: 'image' });
    await expect
      .poll(async () => (await sessionEvents(hub, 'message.received', session.id)).length, { timeout: 5_000 })
      .toBe(4);
    const rows = await query<{ body: string }>(
      hub.em(),
      `select body from webhook_events where type = 'message.received' and body like ? order by created_at, id`,
      [`%${session.id}%`],
    );
    const messages = rows.map((r) => JSON.parse(r.body).entry[0].changes[0].value.messages[0]);
    const byType = (type: string) => messages.filter((m) => m.type === type);
    expect(byType('reaction').map((m) => m.reaction)).toEqual(
      expect.arrayContaining([{ message_id: 'wamid.ours', emoji: '👍' }, { message_id: 'wamid.ours' }]),
    );
    expect(byType('location')[0].location).toEqual({
      latitude: 52.52,
      longitude: 13.405,
      name: 'Shop',
      address: 'Alexanderplatz 1',
    });
    expect(byType('unsupported')[0].errors[0]).toMatchObject({
      code: 131051,
      error_data: { details: expect.stringContaining('type image') },
    });
    const refused = playOnDevice(hub.deps, session, {
      play: 'inbound',
      from,
      location: { latitude: 91, longitude: 0 },
    });
    await expect(refused).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('refuses to send unless CONNECTED, with a stable code', async () => {
    const session = await newSession();
    await expect(sendLinkedDeviceText(hub.deps, session.id, '4917612345678', 'hi')).rejects.toMatchObject({
      code: 'session_not_connected',
    });
    await expect(sendLinkedDeviceText(hub.deps, session.id, 'not-a-number', 'hi')).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('logs out from the hub: the phone is unlinked, the credentials deleted, the channel disconnected', async () => {
    const session = await newSession();
    await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    await playOnDevice(hub.deps, session, { play: 'scan', phone_number: '4915188888888' });
    await waitForSession(hub, session.id, 'CONNECTED');
    const creds = () =>
      query<{ n: number }>(hub.em(), 'select count(*)::int n from linked_device_auth where session_id = ?', [
        session.id,
      ]);
    expect((await creds())[0]!.n).toBeGreaterThan(0);

    await logoutLinkedDevice(hub.deps, hub.em(), await readSession(hub.em(), session.id), ACTOR);
    const out = await waitForSession(hub, session.id, 'LOGGED_OUT');
    expect(out.desired).toBe('stopped');
    expect(out.channel.status).toBe('disconnected');
    expect((await creds())[0]!.n).toBe(0);
    expect(runner.held).not.toContain(session.id);
  });

  it('a logout from the phone offers a new QR code at once', async () => {
    const session = await newSession();
    await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    await playOnDevice(hub.deps, session, { play: 'scan', phone_number: '4915177777777' });
    await waitForSession(hub, session.id, 'CONNECTED');
    await playOnDevice(hub.deps, session, { play: 'logged_out' });
    await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    const statuses = (await sessionEvents(hub, 'session.status', session.id)).map((d) => d.status);
    expect(statuses.slice(-2)).toEqual(['LOGGED_OUT', 'QR']);
  });

  it('keeps no message text once a command is answered, and prunes answered commands', async () => {
    const rows = await query<{ payload: unknown; done: boolean }>(
      hub.em(),
      `select payload, done_at is not null as done from linked_device_commands where kind = 'send_text'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.done && r.payload === null)).toBe(true);
    const pruned = await pruneCommands(hub.em(), new Date(Date.now() + 60 * 60_000));
    expect(pruned).toBeGreaterThan(0);
    const [left] = await query<{ n: number }>(hub.em(), 'select count(*)::int n from linked_device_commands');
    expect(left!.n).toBe(0);
  });

  it('exports sessions by status, and the ones no worker holds, on /metrics', async () => {
    const metric = (text: string, line: RegExp) => Number(line.exec(text)?.[1] ?? Number.NaN);
    const scraped = await hub.deps.metrics.scrape(() => hub.em());
    expect(
      metric(scraped, /^partner_hub_linked_device_sessions\{status="CONNECTED"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(1);
    expect(metric(scraped, /^partner_hub_linked_device_sessions\{status="LOGGED_OUT"\} (\d+)$/m)).toBe(1);
    expect(metric(scraped, /^partner_hub_linked_device_sessions_unowned (\d+)$/m)).toBe(0);
    // A worker that stopped renewing (paused, or killed): its sessions read as unowned.
    await runner.stop();
    await query(
      hub.em(),
      `update linked_device_sessions set lease_until = now() - interval '1 second' where desired = 'active'`,
    );
    const after = await hub.deps.metrics.scrape(() => hub.em());
    expect(metric(after, /^partner_hub_linked_device_sessions_unowned (\d+)$/m)).toBeGreaterThanOrEqual(1);
  });
});

describe('a command no worker takes', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });
  it('expires for its caller as linked_device_unavailable, and is never run afterwards', async () => {
    const em = hub.em();
    const partner = (await partnerFactory(em, hub.deps)).partner;
    const client = await clientFactory(em, partner);
    const session = await createLinkedDeviceSession(em, hub.deps, { partner, client }, ACTOR);
    const id = await enqueueCommand(hub.em(), hub.clock, session.id, 'play', { play: 'sent' }, 200);
    hub.clock.advance(201);
    await expect(awaitCommand(hub.orm, hub.clock, id)).rejects.toMatchObject({
      code: 'linked_device_unavailable',
    });
    const taken = await takeCommands(hub.em(), hub.clock, session.id);
    expect(taken).toEqual([]);
    const [row] = await query<{ payload: unknown; error_code: string }>(
      hub.em(),
      'select payload, error_code from linked_device_commands where id = ?',
      [id],
    );
    expect(row).toEqual({ payload: null, error_code: 'linked_device_unavailable' });
  });
});

describe('a client linking a device for a partner other than the one it signed up through', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });
  it('gets the session granted to that partner, the channel staying the client’s', async () => {
    const em = hub.em();
    const home = (await partnerFactory(em, hub.deps, 'Home SaaS')).partner;
    const other = (await partnerFactory(em, hub.deps, 'Other SaaS')).partner;
    const client = await clientFactory(em, home);
    const session = await createLinkedDeviceSession(em, hub.deps, { partner: other, client }, ACTOR);
    const grants = await query<{ partner_id: string }>(
      hub.em(),
      'select partner_id from permissions where channel_id = ? and revoked_at is null',
      [session.channel.id],
    );
    expect(grants).toEqual([{ partner_id: other.id }]);
    expect((await readSession(hub.em(), session.id)).channel.client.id).toBe(client.id);
  });
});
