import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/clock.ts';
import { query } from '../../server/db/sql.ts';
import { sendLinkedDeviceText } from '../../server/linked-devices/linked-device-actions.service.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import { freePort, startBenchWorker } from '../bench/hub-processes.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { TEST_HUB_SECRET, useTestHub } from '../support/hub.ts';
import { sessionEvents, waitForSession } from '../support/linked-devices.ts';
import { type HubProcess, startHub } from '../support/processes.ts';

const ACTOR = { type: 'operator', id: 'test' } as const;
/** Short, to keep the test short; the bound it checks is the one the docs give for any lease. */
const LEASE_SECONDS = 6;
/** The requirement, whatever the lease. */
const TAKEOVER_LIMIT_MS = 60_000;

interface OwnerSample {
  owner: string | null;
  leaseUntil: Date | null;
  status: string;
  at: Date;
}

/**
 * One socket per number across the cluster: one web process (no worker) and two `hub worker`
 * processes on one database; the worker holding a connected linked-device session is SIGKILLed and
 * the other one takes the session over from the stored credentials, without a new QR.
 */
describe('linked-device takeover: two worker processes, one SIGKILLed', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' });
  let web: HubProcess | undefined;
  const workers: ReturnType<typeof startBenchWorker>[] = [];

  const env = () => ({
    DATABASE_URL: hub.databaseUrl,
    HUB_SECRET: TEST_HUB_SECRET,
    META_MODE: 'sandbox',
    LINKED_DEVICES_ENABLED: 'true',
    LINKED_DEVICE_LEASE_SECONDS: String(LEASE_SECONDS),
    LOG_LEVEL: 'error',
  });

  beforeAll(async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    web = await startHub({ ...env(), PORT: String(port), PUBLIC_URL: url, WORKER_ENABLED: 'false' });
    workers.push(
      startBenchWorker(hub.databaseUrl, url, env()),
      startBenchWorker(hub.databaseUrl, url, env()),
    );
  }, 90_000);

  afterAll(async () => {
    // Killed outright, failed test or not, and gone before the test database is dropped.
    await Promise.all(
      workers.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }),
    );
    await web?.stop();
  });

  const pidOf = (owner: string | null | undefined) => (owner ? Number(owner.split(':').at(-2)) : null);
  const play = async (sessionId: string, path: string, body?: unknown) => {
    const res = await fetch(`${web!.url}/sandbox/linked-devices/sessions/${sessionId}/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('the survivor holds the session within the bound, CONNECTED again without a QR, and sends and receives', async () => {
    const em = hub.em();
    const { partner } = await partnerFactory(em, hub.deps);
    const client = await clientFactory(em, partner);
    const session = await createLinkedDeviceSession(
      em,
      hub.deps,
      { partner, client, name: 'Takeover' },
      ACTOR,
    );

    // Who holds the session, sampled all along with the database's clock.
    const samples: OwnerSample[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await query<{
          owner_id: string | null;
          lease_until: string | null;
          status: string;
          at: string;
        }>(
          hub.em(),
          'select owner_id, lease_until, status, clock_timestamp() as at from linked_device_sessions where id = ?',
          [session.id],
        );
        samples.push({
          owner: row!.owner_id,
          leaseUntil: row!.lease_until === null ? null : new Date(row!.lease_until),
          status: row!.status,
          at: new Date(row!.at),
        });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const started = performance.now();
    const phases: string[] = [];
    const phase = (name: string) =>
      phases.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
    try {
      // The workers boot meanwhile (node, migrations checked, the runner's first lease round).
      await waitForSession(hub, session.id, 'QR', (s) => !!s.qr, 60_000);
      phase('qr');
      const scanned = await play(session.id, 'scan', { phone_number: '+4915112340000', name: 'Kiosk' });
      expect(scanned.status, JSON.stringify(scanned.body)).toBe(200);
      const connected = await waitForSession(hub, session.id, 'CONNECTED', () => true, 15_000);
      phase('connected');
      const workerPids = workers.map((w) => w.child.pid);
      const ownerPid = pidOf(connected.ownerId);
      expect(workerPids).toContain(ownerPid);
      const victim = workers.find((w) => w.child.pid === ownerPid)!;
      const survivor = workers.find((w) => w !== victim)!;

      // Both alive for a whole lease: the renewed lease keeps the other worker out.
      await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000));
      expect(pidOf((await waitForSession(hub, session.id, 'CONNECTED')).ownerId)).toBe(ownerPid);
      const statusEventsBefore = (await sessionEvents(hub, 'session.status', session.id)).length;
      const qrEventsBefore = (await sessionEvents(hub, 'session.qr', session.id)).length;

      const killedAt = performance.now();
      const killedAtWall = Date.now();
      victim.child.kill('SIGKILL');
      const taken = await waitForSession(
        hub,
        session.id,
        'CONNECTED',
        // Connected by the survivor itself, not the status the victim left behind.
        (s) => pidOf(s.ownerId) === survivor.child.pid && s.connectedAt!.getTime() >= killedAtWall,
        TAKEOVER_LIMIT_MS,
      );
      const takeoverMs = performance.now() - killedAt;
      console.info(
        `linked-device takeover: ${(takeoverMs / 1000).toFixed(1)} s after SIGKILL (lease ${LEASE_SECONDS} s; bound lease + a third: ${((LEASE_SECONDS * 4) / 3).toFixed(1)} s)`,
      );
      expect(takeoverMs).toBeLessThan(TAKEOVER_LIMIT_MS);
      // The docs' bound (lease + a third of it), with room for the reconnect and a loaded machine:
      // the lease, not some slower path, brings the session back (measured: 5 to 8 s).
      expect(takeoverMs).toBeLessThan(((LEASE_SECONDS * 4) / 3) * 1000 + 10_000);
      expect(taken.phoneNumber).toBe('4915112340000');

      // Reconnected from the stored credentials: no QR in between (DISCONNECTED or CONNECTING may appear).
      const after = (await sessionEvents(hub, 'session.status', session.id)).slice(statusEventsBefore);
      expect(after.map((d) => d.status)).not.toContain('QR');
      expect(after.map((d) => d.status)).not.toContain('PENDING');
      expect(after.at(-1)?.status).toBe('CONNECTED');
      expect(after.every((d) => d.phone_number === '4915112340000' || d.phone_number === undefined)).toBe(
        true,
      );
      expect((await sessionEvents(hub, 'session.qr', session.id)).length).toBe(qrEventsBefore);

      // The survivor sends (the asker is this process, the runner is the survivor) ...
      const deps = { orm: hub.orm, clock: systemClock, rateLimits: hub.deps.rateLimits };
      phase('taken over');
      const sent = await sendLinkedDeviceText(deps, session.id, '4917612345678', 'After the takeover');
      const echo = await play(session.id, 'sent');
      expect(echo.status).toBe(200);
      expect(echo.body.messages).toEqual([expect.objectContaining({ wa_message_id: sent.waMessageId })]);
      // ... and relays what arrives, played through the web process.
      phase('sent');
      const receivedBefore = (await sessionEvents(hub, 'message.received', session.id)).length;
      const inbound = await play(session.id, 'inbound', { from: '4917612345678', text: 'Still there?' });
      expect(inbound.body).toMatchObject({ delivered: true });
      await expect
        .poll(async () => (await sessionEvents(hub, 'message.received', session.id)).length, {
          timeout: 10_000,
        })
        .toBe(receivedBefore + 1);
      phase('received');
    } finally {
      console.info(`linked-device takeover phases: ${phases.join(', ')}`);
      sampling = false;
      await sampler;
    }

    // One owner at a time: the victim until its lease ran out, then the survivor, and nobody else.
    const owners = samples.map((s) => s.owner).filter((o, i, all) => o !== null && o !== all[i - 1]);
    expect(owners.map(pidOf)).toEqual([expect.any(Number), expect.any(Number)]);
    const [first, second] = owners;
    const lastOfFirst = samples.filter((s) => s.owner === first).at(-1)!;
    const firstOfSecond = samples.find((s) => s.owner === second)!;
    // The survivor claimed only after the victim's last lease had expired.
    expect(firstOfSecond.at.getTime()).toBeGreaterThanOrEqual(lastOfFirst.leaseUntil!.getTime());
    expect(samples.length).toBeGreaterThan(50);
  }, 150_000);
});
