import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/env.ts';
import { query } from '../../server/db/sql.ts';
import { type Hub, openHub } from '../../server/hub.ts';
import {
  playOnDevice,
  sendLinkedDeviceText,
} from '../../server/linked-devices/linked-device-actions.service.ts';
import { LinkedDeviceSession } from '../../server/linked-devices/linked-device-session.entity.ts';
import { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { SandboxDeviceConnector } from '../../server/linked-devices/sandbox/device-emulator.ts';
import { EmulatedPhones } from '../../server/linked-devices/sandbox/emulated-phones.ts';
import { runPlay } from '../../server/linked-devices/sandbox/plays.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import { createLogger } from '../../server/logger.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { TEST_HUB_SECRET } from '../support/hub.ts';
import { usePrivatePostgres } from '../support/private-postgres.ts';

const ACTOR = { type: 'operator', id: 'test' } as const;

/** Polls `read` until it returns true, ignoring errors (the database may still be coming back). */
async function until(read: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await read().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${timeoutMs} ms`);
}

describe('a linked-device worker while PostgreSQL restarts', () => {
  const pg = usePrivatePostgres();
  let hub: Hub;
  let runner: LinkedDeviceRunner;
  const phones = new EmulatedPhones();

  beforeAll(async () => {
    const config = parseConfig({
      NODE_ENV: 'test',
      DATABASE_URL: pg.url,
      HUB_SECRET: TEST_HUB_SECRET,
      META_MODE: 'sandbox',
      LINKED_DEVICES_ENABLED: 'true',
    });
    // Errors reach the test's output: a step of closing that overran is named there.
    hub = await openHub(config, createLogger('error'), { poolMax: 4 });
    runner = new LinkedDeviceRunner(
      hub,
      { connector: new SandboxDeviceConnector(phones), play: (id, play) => runPlay(phones, id, play) },
      { leaseMs: 15_000, sessionsPerWorker: 10, probeIntervalMs: 60_000, commandPollMs: 25 },
    );
    runner.start();
  }, 60_000);
  afterAll(async () => {
    await runner?.stop();
    await hub?.close();
  });

  const read = (id: string) =>
    hub.orm.em.fork().findOneOrFail(LinkedDeviceSession, { id }, { refresh: true });

  it('survives, keeps the session, and relays the message that arrived meanwhile once it is back', async () => {
    const em = hub.orm.em.fork();
    const partner = (await partnerFactory(em, hub)).partner;
    const client = await clientFactory(em, partner);
    const session = await createLinkedDeviceSession(em, hub, { partner, client }, ACTOR);
    await until(async () => !!(await read(session.id)).qr, 10_000);
    await playOnDevice(hub, session, { play: 'scan', phone_number: '4915100000021' });
    await until(async () => (await read(session.id)).status === 'CONNECTED', 10_000);

    await pg.stop();
    // A customer writes while the database is away: the worker holds it and retries.
    const { waMessageId } = phones.inbound(session.id, { from: '4917600000003', text: 'Are you open?' });
    await new Promise((r) => setTimeout(r, 1_500));
    await pg.start();

    await until(async () => {
      const rows = await query(
        hub.orm.em.fork(),
        `select 1 from webhook_events where type = 'message.received' and body like ?`,
        [`%${waMessageId}%`],
      );
      return rows.length === 1;
    }, 30_000);
    const after = await read(session.id);
    expect(after.status).toBe('CONNECTED');
    expect(after.ownerId).toBe(runner.ownerId);
    expect(runner.held).toEqual([session.id]);
    await expect(
      sendLinkedDeviceText(hub, session.id, '4917600000003', 'Yes, until 6'),
    ).resolves.toMatchObject({
      to: '4917600000003',
    });
  }, 90_000);
});
