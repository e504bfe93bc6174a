import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import { createLinkedDeviceSession } from '../../server/linked-devices/sessions.service.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { TEST_HUB_SECRET, useTestHub } from '../support/hub.ts';
import { startTestRunner, waitForSession } from '../support/linked-devices.ts';
import { runCli } from '../support/processes.ts';

describe('CLI: sandbox device plays a linked-device session’s phone through the running hub', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true' }, { listen: true });
  let runner: LinkedDeviceRunner;
  let env: Record<string, string>;
  beforeAll(() => {
    runner = startTestRunner(hub);
    env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: TEST_HUB_SECRET, PUBLIC_URL: hub.url };
  });
  afterAll(() => runner.stop());

  it('writes the QR image, scans it, and says why a play is refused', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps);
    const client = await clientFactory(hub.em(), partner);
    const session = await createLinkedDeviceSession(
      hub.em(),
      hub.deps,
      { partner, client, name: 'CLI' },
      { type: 'operator', id: 'test' },
    );
    await waitForSession(hub, session.id, 'QR', (s) => !!s.qr);

    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'ld-qr-')), 'qr.svg');
    const qr = await runCli(['sandbox', 'device', 'qr', session.id, file], env);
    expect(qr.stderr).toBe('');
    expect(await fs.readFile(file, 'utf8')).toMatch(/^<svg/);

    const scan = await runCli(
      ['sandbox', 'device', 'scan', session.id, '+4915100001111', '--name', 'Shop'],
      env,
    );
    expect(scan.stderr).toBe('');
    expect(JSON.parse(scan.stdout)).toEqual({ session_id: session.id });
    await waitForSession(hub, session.id, 'CONNECTED');

    const unknown = await runCli(['sandbox', 'device', 'offline', 'sess_nope'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/not_found: No linked-device session sess_nope/);
  }, 120_000);
});
