import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../server/db/sql.ts';
import {
  playOnDevice,
  sendLinkedDeviceText,
} from '../../server/linked-devices/linked-device-actions.service.ts';
import { applyDeviceUpdate } from '../../server/linked-devices/runner/device-state.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { startLinkedDeviceRunner } from '../../server/linked-devices/runner/start.ts';
import { SandboxDeviceConnector } from '../../server/linked-devices/sandbox/device-emulator.ts';
import { EmulatedPhones } from '../../server/linked-devices/sandbox/emulated-phones.ts';
import { runPlay } from '../../server/linked-devices/sandbox/plays.ts';
import { toSessionView } from '../../server/linked-devices/session-view.ts';
import { createLinkedDeviceSession, restartPairing } from '../../server/linked-devices/sessions.service.ts';
import { disconnectChannel } from '../../server/modules/channels/disconnect.service.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { readSession, sessionEvents, startTestRunner, waitForSession } from '../support/linked-devices.ts';

const ACTOR = { type: 'operator', id: 'test' } as const;

describe('linked-device liveness and ownership', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });
  let runner: LinkedDeviceRunner;
  let partner: Partner;
  let client: Client;

  beforeAll(async () => {
    const em = hub.em();
    partner = (await partnerFactory(em, hub.deps)).partner;
    client = await clientFactory(em, partner);
    runner = startTestRunner(hub, { probeIntervalMs: 200, probeTimeoutMs: 150 });
  });
  afterAll(() => runner.stop());

  async function connectedSession(phone: string) {
    const session = await createLinkedDeviceSession(hub.em(), hub.deps, { partner, client }, ACTOR);
    await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    await playOnDevice(hub.deps, session, { play: 'scan', phone_number: phone });
    return waitForSession(hub, session.id, 'CONNECTED');
  }

  it('tells "connected" from "connected but not answering", and back', async () => {
    const session = await connectedSession('4915100000001');
    expect(toSessionView(session, hub.clock.now(), 200).health.state).toBe('healthy');

    // The phone goes offline: the socket stays open, but probes go unanswered.
    await playOnDevice(hub.deps, session, { play: 'phone_offline' });
    const dead = await waitForSession(
      hub,
      session.id,
      'DISCONNECTED',
      (s) => s.statusReason === 'not_responding',
    );
    expect(dead.lastProbeOk).toBe(false);

    await playOnDevice(hub.deps, session, { play: 'phone_online' });
    const back = await waitForSession(hub, session.id, 'CONNECTED', (s) => s.lastProbeOk === true);
    expect(toSessionView(back, hub.clock.now(), 60_000).health.state).toBe('healthy');
    const statuses = (await sessionEvents(hub, 'session.status', session.id)).map((d) => [
      d.status,
      d.reason,
    ]);
    expect(statuses.slice(-2)).toEqual([
      ['DISCONNECTED', 'not_responding'],
      ['CONNECTED', null],
    ]);
  });

  it('a session whose lease ran out reads as unowned, not healthy', async () => {
    const session = await connectedSession('4915100000002');
    const view = toSessionView(session, new Date(session.leaseUntil!.getTime() + 1), 60_000);
    expect(view.status).toBe('CONNECTED');
    expect(view.health.state).toBe('unowned');
  });

  it('a worker that lost the lease writes nothing more and lets the socket go', async () => {
    const session = await connectedSession('4915100000003');
    // Another worker took the session over (its lease expired while this one was paused).
    await run(
      hub.em(),
      `update linked_device_sessions set owner_id = 'elsewhere', lease_until = now() + interval '1 hour' where id = ?`,
      [session.id],
    );
    const written = await applyDeviceUpdate(hub.deps, runner.ownerId, session.id, {
      kind: 'disconnected',
      reason: 'connection_lost',
      idle: false,
    });
    expect(written).toBe(false);
    expect((await readSession(hub.em(), session.id)).status).toBe('CONNECTED');
    await expect.poll(() => runner.held.includes(session.id), { timeout: 5_000 }).toBe(false);
    expect((await readSession(hub.em(), session.id)).ownerId).toBe('elsewhere');
  });

  it('a partner disconnecting the channel unlinks the device and ends the session', async () => {
    const session = await connectedSession('4915100000004');
    await disconnectChannel(hub.em(), hub.deps, partner, session.channel.id, ACTOR);
    const out = await waitForSession(hub, session.id, 'LOGGED_OUT');
    expect(out.desired).toBe('stopped');
    expect(out.channel.status).toBe('disconnected');
    await expect.poll(() => runner.held.includes(session.id), { timeout: 5_000 }).toBe(false);
  });
});

describe('QR codes nobody scans', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });
  it('end in DISCONNECTED (qr_timeout): the session waits, released, until its pairing is restarted', async () => {
    const em = hub.em();
    const partner = (await partnerFactory(em, hub.deps)).partner;
    const client = await clientFactory(em, partner);
    const phones = new EmulatedPhones(hub.clock);
    const runner = startTestRunner(
      hub,
      {},
      {
        connector: new SandboxDeviceConnector(phones, { qrRefreshMs: 100, qrCodeLimit: 3 }),
        play: (id, play) => runPlay(phones, id, play),
      },
    );
    try {
      const session = await createLinkedDeviceSession(em, hub.deps, { partner, client }, ACTOR);
      const idle = await waitForSession(
        hub,
        session.id,
        'DISCONNECTED',
        // Released after the status is written: wait for both.
        (s) => s.statusReason === 'qr_timeout' && s.ownerId === null,
      );
      expect(idle).toMatchObject({ desired: 'idle', qr: null, ownerId: null });
      const qrs = await sessionEvents(hub, 'session.qr', session.id);
      expect(new Set(qrs.map((q) => q.qr)).size).toBe(3);

      await restartPairing(hub.em(), hub.deps, idle, undefined, ACTOR);
      // New codes are shown (they time out again quickly here: count them, not the status).
      await expect
        .poll(async () => (await sessionEvents(hub, 'session.qr', session.id)).length, { timeout: 10_000 })
        .toBeGreaterThan(3);
    } finally {
      await runner.stop();
    }
  });
});

describe('with LINKED_DEVICES_ENABLED off (the default)', () => {
  const hub = useTestHub();
  it('no runner starts', () => {
    expect(hub.deps.config.linkedDevices.enabled).toBe(false);
    expect(startLinkedDeviceRunner(hub.deps)).toBeUndefined();
  });
});

describe('a linked device whose socket hangs', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });
  it('fails its own sends after the deadline, and holds up no other session', async () => {
    const em = hub.em();
    const partner = (await partnerFactory(em, hub.deps)).partner;
    const client = await clientFactory(em, partner);
    const phones = new EmulatedPhones(hub.clock);
    const emulator = new SandboxDeviceConnector(phones);
    const hung = new Set<string>();
    // The emulator's connection, except that a hung session's sends never settle.
    const connector = {
      async connect(options: Parameters<typeof emulator.connect>[0]) {
        const connection = await emulator.connect(options);
        return {
          sendText: (to: string, text: string) =>
            hung.has(options.sessionId) ? new Promise<never>(() => {}) : connection.sendText(to, text),
          probe: (ms: number) => connection.probe(ms),
          logout: () => connection.logout(),
          close: () => connection.close(),
        };
      },
    };
    const runner = startTestRunner(
      hub,
      { commandTimeoutMs: 1_000 },
      {
        connector,
        play: (id, play) => runPlay(phones, id, play),
      },
    );
    try {
      const pair = async (phone: string) => {
        const s = await createLinkedDeviceSession(hub.em(), hub.deps, { partner, client }, ACTOR);
        await waitForSession(hub, s.id, 'QR', (x) => !!x.qr);
        await playOnDevice(hub.deps, s, { play: 'scan', phone_number: phone });
        return waitForSession(hub, s.id, 'CONNECTED');
      };
      const stuck = await pair('4915100000011');
      const fine = await pair('4915100000012');
      hung.add(stuck.id);

      const stuckSend = sendLinkedDeviceText(hub.deps, stuck.id, '4917600000001', 'hello?');
      // While the hung send waits out its deadline, the other number sends at once.
      const started = performance.now();
      await expect(sendLinkedDeviceText(hub.deps, fine.id, '4917600000002', 'hi')).resolves.toMatchObject({
        to: '4917600000002',
      });
      const fineMs = performance.now() - started;
      await expect(stuckSend).rejects.toMatchObject({ code: 'linked_device_send_failed' });
      const stuckMs = performance.now() - started;
      expect(fineMs).toBeLessThan(stuckMs);
    } finally {
      await runner.stop();
    }
  });
});
