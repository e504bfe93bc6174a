import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConnectOptions,
  DeviceConnection,
  DeviceConnector,
} from '../../server/linked-devices/connector.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { readSession, startTestRunner } from '../support/linked-devices.ts';

const ACTOR = { type: 'operator', id: 'test' } as const;

/** A connector whose connections open only when the test lets them, and that records closes. */
function gatedConnector() {
  const pending: Array<() => void> = [];
  const closed: string[] = [];
  const connector: DeviceConnector = {
    async connect(options: ConnectOptions): Promise<DeviceConnection> {
      await new Promise<void>((resolve) => pending.push(resolve));
      return {
        sendText: async () => ({ waMessageId: 'wamid.x' }),
        probe: async () => true,
        logout: async () => {},
        close: async () => {
          closed.push(options.sessionId);
        },
      };
    },
  };
  return { connector, pending, closed };
}

/**
 * `runner.stop()` ends what is in flight before it resolves: the worker's shutdown is followed
 * by closing the hub's pool, and work still running then writes into a closing pool (a hub
 * close hung 60 s in CI after a PostgreSQL restart).
 */
describe('stopping the linked-device runner with work in flight', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });
  let partner: Partner;
  let client: Client;

  beforeAll(async () => {
    partner = (await partnerFactory(hub.em(), hub.deps)).partner;
    client = await clientFactory(hub.em(), partner);
  });

  const stopped = async (runner: LinkedDeviceRunner) => {
    let done = false;
    const stopping = runner.stop().then(() => {
      done = true;
    });
    return { stopping, done: () => done };
  };
  const runners: LinkedDeviceRunner[] = [];
  afterAll(() => Promise.all(runners.map((r) => r.stop())));

  it('waits for a connection being opened, then closes it and releases the lease', async () => {
    const gate = gatedConnector();
    const runner = startTestRunner(hub, { commandTimeoutMs: 10_000 }, { connector: gate.connector });
    runners.push(runner);
    const session = await createLinkedDeviceSession(
      hub.em(),
      hub.deps,
      { partner, client, name: 'In flight' },
      ACTOR,
    );
    await expect.poll(() => gate.pending.length, { timeout: 10_000 }).toBe(1);

    const stop = await stopped(runner);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stop.done()).toBe(false);

    gate.pending.shift()!();
    await stop.stopping;
    expect(gate.closed).toEqual([session.id]);
    expect(runner.held).toEqual([]);
    expect((await readSession(hub.em(), session.id)).ownerId).toBeNull();
  });

  it('waits at most the command deadline for work that never ends, and says so', async () => {
    const gate = gatedConnector();
    const runner = startTestRunner(hub, { commandTimeoutMs: 300 }, { connector: gate.connector });
    runners.push(runner);
    await createLinkedDeviceSession(hub.em(), hub.deps, { partner, client, name: 'Hung' }, ACTOR);
    await expect.poll(() => gate.pending.length, { timeout: 10_000 }).toBe(1);

    const warned: unknown[] = [];
    const warn = hub.deps.logger.warn.bind(hub.deps.logger);
    hub.deps.logger.warn = ((obj: unknown, ...rest: unknown[]) => {
      warned.push(obj);
      return (warn as (...a: unknown[]) => void)(obj, ...rest);
    }) as typeof hub.deps.logger.warn;
    try {
      const started = Date.now();
      await runner.stop();
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(warned).toContainEqual({ pending: 1 });
    } finally {
      hub.deps.logger.warn = warn;
      gate.pending.shift()!();
    }
  });
});
