import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgNotifications } from '../../server/db/pg-notifications.ts';
import { query } from '../../server/db/sql.ts';
import { LINKED_DEVICE_COMMANDS_CHANNEL } from '../../server/linked-devices/commands.ts';
import {
  playOnDevice,
  sendLinkedDeviceText,
} from '../../server/linked-devices/linked-device-actions.service.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { startTestRunner, waitForSession } from '../support/linked-devices.ts';

const ACTOR = { type: 'operator', id: 'test' } as const;

/**
 * Commands (sends, plays, logouts) reach the worker holding the session through a NOTIFY at the
 * enqueuing commit, not at its next poll: here the poll is a minute apart, so only the
 * notification can start them within the command's 15 s life.
 */
describe('linked-device commands started by notification', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });
  let runner: LinkedDeviceRunner;

  beforeAll(() => {
    const notifications = new PgNotifications(
      hub.databaseUrl,
      LINKED_DEVICE_COMMANDS_CHANNEL,
      hub.deps.logger,
    );
    runner = startTestRunner(hub, { commandPollMs: 60_000 }, undefined, notifications);
  });
  afterAll(() => runner.stop());

  it('runs plays and sends at once, and again after its listening connection was cut', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps);
    const client = await clientFactory(hub.em(), partner);
    const session = await createLinkedDeviceSession(
      hub.em(),
      hub.deps,
      { partner, client, name: 'Notified' },
      ACTOR,
    );
    const qr = await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);
    await playOnDevice(hub.deps, qr, { play: 'scan', phone_number: '4915166666666' });
    await waitForSession(hub, session.id, 'CONNECTED');

    const started = Date.now();
    await sendLinkedDeviceText(hub.deps, session.id, '4917612345678', 'first');
    expect(Date.now() - started).toBeLessThan(5_000);

    // PostgreSQL drops the listener (a restart, a failover): it listens again by itself. Wait for
    // its LISTEN to have run, not only for its connection: a NOTIFY between the two is lost, and
    // on a loaded machine that gap once cost CI the command's whole life.
    const [cut] = await query<{ n: number }>(
      hub.em(),
      `select count(pg_terminate_backend(pid))::int n from pg_stat_activity
        where application_name = ? and datname = current_database()`,
      [`partner-hub-${LINKED_DEVICE_COMMANDS_CHANNEL}`],
    );
    expect(cut!.n).toBe(1);
    await expect
      .poll(
        async () =>
          (
            await query<{ n: number }>(
              hub.em(),
              `select count(*)::int n from pg_stat_activity where application_name = ? and datname = current_database()
                  and state = 'idle' and query ilike 'listen %'`,
              [`partner-hub-${LINKED_DEVICE_COMMANDS_CHANNEL}`],
            )
          )[0]!.n,
        { timeout: 10_000, interval: 100 },
      )
      .toBe(1);
    const again = Date.now();
    await sendLinkedDeviceText(hub.deps, session.id, '4917612345678', 'second');
    expect(Date.now() - again).toBeLessThan(5_000);
    const sent = await playOnDevice(hub.deps, qr, { play: 'sent' });
    expect((sent.messages as { text: string }[]).map((m) => m.text)).toEqual(['first', 'second']);
  });
});
