import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../server/crypto/secret-box.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { channelSecretContext } from '../../server/modules/channels/channel-secrets.ts';
import { Permission } from '../../server/modules/permissions/permission.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { TEST_HUB_SECRET, useTestHub } from '../support/hub.ts';
import { runCli, startHub } from '../support/processes.ts';
import { bearer } from '../support/scenarios.ts';

describe('CLI: sandbox onboard and secrets reencrypt', () => {
  // The hub under test serves the sandbox on a real port; the CLI is a separate process.
  const hub = useTestHub({}, { listen: true });
  let env: Record<string, string>;
  beforeAll(() => {
    env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: TEST_HUB_SECRET, PUBLIC_URL: hub.url };
  });

  it('onboards a live, granted sandbox channel over HTTP and prints the ids as JSON', async () => {
    const { partner, token } = await partnerFactory(hub.em(), hub.deps, 'CLI SaaS');
    const res = await runCli(
      ['sandbox', 'onboard', '--partner', partner.id, '--phone', '+15550001111', '--json'],
      env,
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(Object.keys(out).sort()).toEqual(['channel_id', 'client_id', 'phone_number_id', 'waba_id']);

    const channel = await hub.em().findOneOrFail(Channel, out.channel_id, { populate: ['client'] });
    expect(channel).toMatchObject({
      status: 'live',
      phoneNumber: '15550001111',
      phoneNumberId: out.phone_number_id,
    });
    expect(channel.client.id).toBe(out.client_id);
    expect(
      await hub.em().count(Permission, { partner: partner.id, channel: out.channel_id, revokedAt: null }),
    ).toBe(1);
    const types = (
      await hub.em().find(WebhookEvent, { partner: partner.id }, { orderBy: { id: 'asc' } })
    ).map((e) => e.type);
    // channel.created and channel.mode_resolved share a transaction (and a millisecond): either order.
    expect([types[0], types.slice(1, 3).sort(), types[3], types.length]).toEqual([
      'client.created',
      ['channel.created', 'channel.mode_resolved'],
      'permission.granted',
      4,
    ]);

    // The partner can mint a key and send through it right away.
    const key = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${out.channel_id}/api_keys`)
      .set(bearer(token));
    const sent = await request(hub.app)
      .post('/waba/messages')
      .set('D360-API-KEY', key.body.api_key)
      .send({ messaging_product: 'whatsapp', to: '4915112345678', type: 'text', text: { body: 'hi' } });
    expect(sent.status).toBe(200);
  });

  it('explains what to do when the hub is not running, and rejects bad input', async () => {
    const { partner } = await partnerFactory(hub.em(), hub.deps, 'Offline SaaS');
    const offline = await runCli(['sandbox', 'onboard', '--partner', partner.id], {
      ...env,
      PUBLIC_URL: 'http://127.0.0.1:9',
    });
    expect(offline.code).toBe(1);
    // The step that failed is shown, then the error as the last line.
    expect(offline.stderr).toMatch(/^\[1\/4\] Embedded Signup in the sandbox at http:\/\/127\.0\.0\.1:9 /);
    expect(offline.stderr.trim().split('\n').at(-1)).toMatch(
      /^error: cannot reach the sandbox at http:\/\/127\.0\.0\.1:9: start the hub first/,
    );
    const badPhone = await runCli(['sandbox', 'onboard', '--partner', partner.id, '--phone', 'abc'], env);
    expect(badPhone.stderr).toMatch(/--phone must be digits/);
    const unknown = await runCli(['sandbox', 'onboard', '--partner', 'ptn_nope'], env);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'error: No partner ptn_nope']);
  });

  it('sandbox credentials prints the app token the control API accepts', async () => {
    const res = await runCli(['sandbox', 'credentials', '--json'], env);
    expect(res.code).toBe(0);
    const creds = JSON.parse(res.stdout);
    expect(creds).toMatchObject({ app_id: hub.deps.meta.appId, app_secret: hub.deps.meta.appSecret });
    const ok = await fetch(`${hub.url}/sandbox/control/tokens/expire`, {
      method: 'POST',
      headers: { authorization: `Bearer ${creds.app_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ waba_id: '1' }),
    });
    expect(ok.status).not.toBe(401);
    const prod = await runCli(['sandbox', 'credentials'], {
      ...env,
      META_APP_ID: '1',
      META_APP_SECRET: 's',
      META_CONFIG_ID: 'c',
    });
    expect([prod.code, prod.stderr]).toEqual([1, expect.stringMatching(/no sandbox credentials/)]);
  });

  it('secrets reencrypt re-seals everything under a rotated HUB_SECRET', async () => {
    const rotated = 'rotated-secret-rotated-secret-rotated-secret';
    const rotatedEnv = { ...env, HUB_SECRET: rotated, HUB_SECRET_PREVIOUS: TEST_HUB_SECRET };
    const dry = JSON.parse(
      (await runCli(['secrets', 'reencrypt', '--dry-run', '--json'], rotatedEnv)).stdout,
    );
    expect(dry.total).toBeGreaterThan(0);
    const done = await runCli(['secrets', 'reencrypt'], rotatedEnv);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`re-encrypted ${dry.total} value(s)`);
    const channel = await hub.em().findOneOrFail(Channel, { metaTokenSealed: { $ne: null } });
    const token = new SecretBox([rotated]).decrypt(
      channel.metaTokenSealed!,
      channelSecretContext(channel.id, 'meta_token'),
    );
    expect(token).toMatch(/^EAAG/);
    const again = JSON.parse((await runCli(['secrets', 'reencrypt', '--json'], rotatedEnv)).stdout);
    expect(again.total).toBe(0);
  });
});

describe('npm start with PORT=0', () => {
  const hub = useTestHub();

  it('records its URL in the data dir, so CLI commands without PUBLIC_URL reach it', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-url-'));
    const env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: TEST_HUB_SECRET, HUB_DATA_DIR: dataDir };
    const running = await startHub({ ...env, PORT: '0' });
    try {
      expect(running.url).not.toBe('http://localhost:8082');
      const partner = JSON.parse(
        (await runCli(['partners', 'create', '--name', 'No URL', '--json'], env)).stdout,
      );
      // The readable mode, which also shows each step of the slow onboarding on stderr.
      const onboard = await runCli(['sandbox', 'onboard', '--partner', partner.id], env);
      expect(onboard.code).toBe(0);
      expect(onboard.stdout).toMatch(/^Onboarded \+\d+ for partner ptn_\w+: channel chn_\w+ is live\./);
      expect(onboard.stderr.split('\n').filter(Boolean)).toEqual([
        expect.stringMatching(/^\[1\/4\] Embedded Signup in the sandbox at http:\/\/localhost:\d+ /),
        expect.stringMatching(/^\[2\/4\] creating the client/),
        expect.stringMatching(/^\[3\/4\] provisioning the channel/),
        expect.stringMatching(/^\[4\/4\] granting partner ptn_\w+ access/),
      ]);
    } finally {
      await running.stop();
    }
    // Stopped: the record is gone, and commands fall back to PUBLIC_URL's default again.
    await expect(fs.stat(path.join(dataDir, 'server.json'))).rejects.toThrow();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('hands out URLs with the port it got, so the sandbox can call it back', async () => {
    const running = await startHub({ DATABASE_URL: hub.databaseUrl, HUB_SECRET: TEST_HUB_SECRET, PORT: '0' });
    try {
      expect(running.url).toMatch(/^http:\/\/localhost:\d+$/);
      expect(running.url).not.toMatch(/:0$/);
      const env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: TEST_HUB_SECRET, PUBLIC_URL: running.url };
      const partner = JSON.parse(
        (await runCli(['partners', 'create', '--name', 'Port Zero', '--json'], env)).stdout,
      );
      // Provisioning subscribes the WABA with the hub's callback URL, which the sandbox verifies by calling it.
      const onboard = await runCli(['sandbox', 'onboard', '--partner', partner.id, '--json'], env);
      expect(onboard.stderr).toBe('');
      const key = await fetch(
        `${running.url}/api/v2/partners/${partner.id}/channels/${JSON.parse(onboard.stdout).channel_id}/api_keys`,
        { method: 'POST', headers: { authorization: `Bearer ${partner.token}` } },
      );
      expect(((await key.json()) as { address: string }).address).toBe(`${running.url}/waba`);
    } finally {
      await running.stop();
    }
  });
});
