import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'vitest';
import type { PgNotifications } from '../../server/db/pg-notifications.ts';
import { query } from '../../server/db/sql.ts';
import { connectorFor, type RunnerConnector } from '../../server/linked-devices/connector-for.ts';
import { LinkedDeviceSession } from '../../server/linked-devices/linked-device-session.entity.ts';
import {
  LinkedDeviceRunner,
  type RunnerSettings,
} from '../../server/linked-devices/runner/session-runner.ts';
import type { TestHub } from './hub.ts';

/** A runner in the test process, with a short lease and fast command polling. */
export function startTestRunner(
  hub: TestHub,
  settings: Partial<RunnerSettings> = {},
  connector: RunnerConnector = connectorFor(hub.deps),
  notifications?: PgNotifications,
): LinkedDeviceRunner {
  const runner = new LinkedDeviceRunner(
    hub.deps,
    connector,
    {
      leaseMs: 3_000,
      sessionsPerWorker: 50,
      probeIntervalMs: 60_000,
      commandPollMs: 25,
      ...settings,
    },
    notifications,
  );
  runner.start();
  return runner;
}

export async function readSession(em: EntityManager, id: string): Promise<LinkedDeviceSession> {
  return em.findOneOrFail(LinkedDeviceSession, { id }, { populate: ['channel', 'client'], refresh: true });
}

/** Polls until the session reaches `status` (and `where`, if given); real time, bounded. */
export async function waitForSession(
  hub: TestHub,
  id: string,
  status: LinkedDeviceSession['status'],
  where: (s: LinkedDeviceSession) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<LinkedDeviceSession> {
  let last: LinkedDeviceSession | undefined;
  await expect
    .poll(
      async () => {
        last = await readSession(hub.em(), id);
        return last.status === status && where(last);
      },
      { timeout: timeoutMs, interval: 50 },
    )
    .toBe(true);
  return last!;
}

/** The `data` of the events of `type` recorded for the session, oldest first. */
export async function sessionEvents(hub: TestHub, type: string, sessionId: string) {
  const rows = await query<{ body: string }>(
    hub.em(),
    `select body from webhook_events where type = ? and body like ? order by created_at, id`,
    [type, `%${sessionId}%`],
  );
  return rows.map((r) => (JSON.parse(r.body) as { data: Record<string, unknown> }).data);
}
