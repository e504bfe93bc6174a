import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { Channel } from '../../server/modules/channels/channel.entity.ts';
import { HEARTBEAT, sendHeartbeats } from '../../server/modules/coexistence/heartbeat.service.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { SEALED, unseal } from '../../server/modules/secrets/sealed-columns.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { dataOf } from '../support/webhooks.ts';

const DAY = 86_400_000;

describe('coexistence numbers: app syncs, echoes and the heartbeat (issue 16 point 4)', () => {
  const hub = useTestHub({}, { listen: true });
  let receiver: WebhookReceiver;
  let partner: Partner;
  let token: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps, 'Acme SaaS'));
  });
  afterAll(() => receiver.close());

  const control = (path: string, body: object) =>
    fetch(`${hub.url}/sandbox/control/${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
      },
      body: JSON.stringify(body),
    });

  const eventsOf = (channelId: string, type: string) =>
    hub
      .em()
      .find(WebhookEvent, { partner: partner.id, channel: channelId, type }, { orderBy: { id: 'asc' } });

  async function coexistenceChannel() {
    const { channel } = await onboardSandboxChannel(hub, partner, { connection_type: 'coexistence' });
    expect(channel.connectionType).toBe('coexistence');
    return channel;
  }

  it('asks Meta for the app contacts, then the history, and gives both to the partner as typed events', async () => {
    const channel = await coexistenceChannel();
    const jobs = await query<{ key: string }>(
      hub.em(),
      `select key from graphile_worker.jobs where task_identifier = 'sync_business_app' order by priority`,
    );
    expect(jobs.map((j) => j.key)).toEqual([
      `sync_business_app:${channel.id}:smb_app_state_sync`,
      `sync_business_app:${channel.id}:history`,
    ]);
    await hub.drainJobs();
    const failed = await query(hub.em(), 'select task_identifier, last_error from graphile_worker.jobs');
    expect(failed).toEqual([]);

    const [contacts] = await eventsOf(channel.id, 'channel.contacts_synced');
    expect(dataOf(contacts!)).toMatchObject({
      channel_id: channel.id,
      phone_number_id: channel.phoneNumberId,
      field: 'smb_app_state_sync',
      contacts: 2,
      value: {
        state_sync: [{ type: 'contact', action: 'add', contact: { full_name: 'Pablo Morales' } }, {}],
      },
    });
    const [history] = await eventsOf(channel.id, 'channel.history_synced');
    expect(dataOf(history!)).toMatchObject({ field: 'history', event: 'SHARED', phase: 0, progress: 100 });

    const view = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels/${channel.id}`)
      .set(bearer(token));
    expect(view.body.connection_type).toBe('coexistence');
    expect(Date.parse(view.body.business_app_seen_at)).toBe(hub.clock.now().getTime());
  });

  it('reports a declined history share as DECLINED with Meta’s error', async () => {
    const channel = await coexistenceChannel();
    const res = await control('history', { phone_number_id: channel.phoneNumberId, declined: true });
    expect(res.status).toBe(200);
    const [declined] = await eventsOf(channel.id, 'channel.history_synced');
    expect(dataOf(declined!)).toMatchObject({
      event: 'DECLINED',
      phase: null,
      value: { history: [{ errors: [{ code: 2593109 }] }] },
    });
  });

  it('sends an app echo to the channel webhook in Meta’s envelope, byte for byte, and never to the partner webhook', async () => {
    const channel = await coexistenceChannel();
    await request(hub.app)
      .patch(`/api/v2/partners/${partner.id}`)
      .set(bearer(token))
      .send({ webhook_url: `${receiver.url}/partner` });
    const key = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    const set = await request(hub.app)
      .post('/waba/v1/configs/webhook')
      .set('D360-API-KEY', key.body.api_key)
      .send({ url: `${receiver.url}/channel` });
    expect(set.status).toBe(200);
    await hub.drainJobs();
    receiver.requests.length = 0;

    const sent = await control('message_echoes', {
      phone_number_id: channel.phoneNumberId,
      to: '+49 151 1234 5678',
      text: 'Sent from the phone',
    });
    expect(sent.status).toBe(200);
    const { payload } = (await sent.json()) as { payload: unknown };
    await hub.drainJobs();
    const onChannel = receiver.requests.filter((r) => r.path === '/channel');
    expect(onChannel).toHaveLength(1);
    expect(JSON.parse(onChannel[0]!.rawBody)).toEqual(payload);
    expect(JSON.parse(onChannel[0]!.rawBody).entry[0].changes[0]).toMatchObject({
      field: 'smb_message_echoes',
      value: {
        message_echoes: [{ to: '4915112345678', type: 'text', text: { body: 'Sent from the phone' } }],
      },
    });
    expect(receiver.requests.filter((r) => r.path === '/partner')).toHaveLength(0);
    expect(await eventsOf(channel.id, 'message.echo')).toHaveLength(1);
  });

  it('refuses coexistence-only webhooks and syncs for a Cloud API number', async () => {
    const { channel } = await onboardSandboxChannel(hub, partner);
    const res = await control('message_echoes', {
      phone_number_id: channel.phoneNumberId,
      to: '4915112345678',
      text: 'x',
    });
    expect(res.status).toBe(409);
    const bad = await control('app_contacts', {
      phone_number_id: channel.phoneNumberId,
      phone_number: 'abc',
    });
    expect(bad.status).toBe(400);
    const jobs = await query(
      hub.em(),
      `select 1 from graphile_worker.jobs where task_identifier = 'sync_business_app' and key like ?`,
      [`%${channel.id}%`],
    );
    expect(jobs).toEqual([]);
  });

  it('reminds once when the app has been quiet, again when the link is about to expire, and forgets after activity', async () => {
    const channel = await coexistenceChannel();
    const { channel: cloud } = await onboardSandboxChannel(hub, partner);
    await hub.drainJobs();
    // The contact and history syncs after onboarding were the app's last activity.
    const seenAt = (await hub.em().findOneOrFail(Channel, channel.id)).businessAppSeenAt!;
    expect(seenAt).toBeInstanceOf(Date);
    // Both channels were created now: a quiet Cloud API number is never reminded.
    hub.clock.advance(HEARTBEAT.dueAfterDays * DAY + 60_000);
    expect(await sendHeartbeats(hub.em(), hub.clock)).toBeGreaterThanOrEqual(1);
    expect(await sendHeartbeats(hub.em(), hub.clock)).toBe(0);
    const [due] = await eventsOf(channel.id, 'channel.heartbeat_due');
    expect(dataOf(due!)).toEqual({
      channel_id: channel.id,
      client_id: channel.client.id,
      phone_number: channel.phoneNumber,
      last_activity_at: seenAt.toISOString(),
      link_expires_at: new Date(seenAt.getTime() + HEARTBEAT.linkExpiryDays * DAY).toISOString(),
    });
    expect(await eventsOf(cloud.id, 'channel.heartbeat_due')).toHaveLength(0);

    hub.clock.advance((HEARTBEAT.overdueAfterDays - HEARTBEAT.dueAfterDays) * DAY);
    await sendHeartbeats(hub.em(), hub.clock);
    expect(await eventsOf(channel.id, 'channel.heartbeat_overdue')).toHaveLength(1);
    await sendHeartbeats(hub.em(), hub.clock);
    expect(await eventsOf(channel.id, 'channel.heartbeat_overdue')).toHaveLength(1);

    // The business opens the app and writes: the silence ends, and so do the reminders.
    const echo = await control('message_echoes', {
      phone_number_id: channel.phoneNumberId,
      to: '4915112345678',
      text: 'Back',
    });
    expect(echo.status).toBe(200);
    const after = await hub.em().findOneOrFail(Channel, channel.id);
    expect(after.heartbeatNotice).toBeNull();
    expect(after.businessAppSeenAt?.getTime()).toBe(hub.clock.now().getTime());
    await sendHeartbeats(hub.em(), hub.clock);
    expect(await eventsOf(channel.id, 'channel.heartbeat_due')).toHaveLength(1);

    hub.clock.advance(HEARTBEAT.dueAfterDays * DAY + 60_000);
    await sendHeartbeats(hub.em(), hub.clock);
    expect(await eventsOf(channel.id, 'channel.heartbeat_due')).toHaveLength(2);
  });

  it('answers smb_app_data as Graph does: only for coexistence numbers, only known sync types', async () => {
    const { channel } = await onboardSandboxChannel(hub, partner);
    const coexistence = await coexistenceChannel();
    const tokenOf = (c: Channel) =>
      unseal(hub.deps.secretBox, SEALED.channelMetaToken, c.id, c.metaTokenSealed!);
    await expect(
      hub.deps.graph.syncBusinessApp(channel.phoneNumberId, tokenOf(channel), 'history'),
    ).rejects.toThrow(/not onboarded with the WhatsApp Business app/);
    const wrong = await fetch(`${hub.url}/sandbox/graph/v23.0/${coexistence.phoneNumberId}/smb_app_data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(coexistence)}` },
      body: JSON.stringify({ messaging_product: 'whatsapp', sync_type: 'everything' }),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 100, type: 'OAuthException' } });
    const id = await hub.deps.graph.syncBusinessApp(
      coexistence.phoneNumberId,
      tokenOf(coexistence),
      'smb_app_state_sync',
    );
    expect(id).toMatch(/^\d+$/);
  });
});
