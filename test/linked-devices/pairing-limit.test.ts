import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../server/db/sql.ts';
import { playOnDevice } from '../../server/linked-devices/linked-device-actions.service.ts';
import type { LinkedDeviceRunner } from '../../server/linked-devices/runner/session-runner.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { clientFactory, partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { readSession, startTestRunner, waitForSession } from '../support/linked-devices.ts';
import { bearer } from '../support/scenarios.ts';

describe('LINKED_DEVICE_PAIRING_PER_CLIENT: how many devices one business pairs at once', () => {
  const hub = useTestHub({ LINKED_DEVICES_ENABLED: 'true', LINKED_DEVICE_PAIRING_PER_CLIENT: '2' });
  let partner: Partner;
  let token: string;
  let runner: LinkedDeviceRunner | undefined;

  beforeAll(async () => {
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps, 'Pairing SaaS'));
  });
  afterAll(() => runner?.stop());

  const create = (client: Client) =>
    request(hub.app)
      .post(`/api/v2/partners/${partner.id}/clients/${client.id}/linked_device_sessions`)
      .set(bearer(token))
      .send({});
  const restart = (id: string) =>
    request(hub.app)
      .post(`/api/v2/partners/${partner.id}/linked_device_sessions/${id}/restart`)
      .set(bearer(token))
      .send({});

  it('refuses a third pairing with 409 too_many_pairings, for this client only, over REST and tRPC', async () => {
    const client = await clientFactory(hub.em(), partner);
    for (let i = 0; i < 2; i++) expect((await create(client)).status).toBe(201);
    const refused = await create(client);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'too_many_pairings', details: { limit: 2 } });

    // tRPC (the in-process caller): CONFLICT, with the error table's code as the cause.
    await expect(hub.trpc(token).linkedDevices.create({ client_id: client.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      cause: { code: 'too_many_pairings', details: { limit: 2 } },
    });

    // Another business of the same partner pairs as before.
    expect((await create(await clientFactory(hub.em(), partner))).status).toBe(201);
  });

  it('lets exactly the limit through when requests arrive at once', async () => {
    const client = await clientFactory(hub.em(), partner);
    const answers = await Promise.all(Array.from({ length: 6 }, () => create(client)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
  });

  it('frees a place when a device pairs or a pairing times out; restarting one counts like creating one', async () => {
    runner = startTestRunner(hub);
    const client = await clientFactory(hub.em(), partner);
    const first = (await create(client)).body.id as string;
    const second = (await create(client)).body.id as string;

    // The phone scans the first one's QR code: it is a device now, not a pairing.
    await waitForSession(hub, first, 'QR', (s) => !!s.qr);
    await playOnDevice(hub.deps, await readSession(hub.em(), first), {
      play: 'scan',
      phone_number: '4915100000071',
    });
    await waitForSession(hub, first, 'CONNECTED');
    const third = (await create(client)).body.id as string;
    expect(third).toMatch(/^sess_/);
    expect((await create(client)).body.error.code).toBe('too_many_pairings');

    // The second one's QR codes time out (desired idle, as the runner leaves it): its place is free,
    // and taken again by restarting it, once a new pairing has taken it, restarting is refused.
    await run(
      hub.em(),
      `update linked_device_sessions set desired = 'idle', status = 'DISCONNECTED' where id = ?`,
      [second],
    );
    const fourth = await create(client);
    expect(fourth.status).toBe(201);
    const refused = await restart(second);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('too_many_pairings');
    // One that is pairing already is running: that, not the limit, is what a restart is told.
    expect((await restart(third)).body.error.code).toBe('conflict');
    await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/linked_device_sessions/${fourth.body.id}/logout`)
      .set(bearer(token))
      .send({})
      .expect(200);
    await waitForSession(hub, fourth.body.id, 'LOGGED_OUT');
    expect((await restart(second)).status).toBe(200);
  });
});
