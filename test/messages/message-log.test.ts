import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPartnerHubClient } from '../../client/src/index.ts';
import type { Channel } from '../../server/modules/channels/channel.entity.ts';
import { ChannelMessage } from '../../server/modules/messages/channel-message.entity.ts';
import { applyStatuses, logMessages } from '../../server/modules/messages/message-log.ts';
import { logEntriesOf } from '../../server/modules/messages/meta-messages.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { enqueue } from '../support/enqueue.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel, sandboxControl } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

const CUSTOMER = '4915112345678';

describe('message log: every message of a channel with its status, over REST, tRPC, the SDK and the key', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let token: string;

  beforeAll(async () => {
    const created = await partnerFactory(hub.em(), hub.deps, 'Log SaaS');
    token = created.token;
    partner = await hub.em().findOneOrFail(Partner, created.partner.id);
  });

  async function channelWithKey(form: Parameters<typeof onboardSandboxChannel>[2] = {}) {
    const { channel } = await onboardSandboxChannel(hub, partner, form);
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channel.id}/api_keys`)
      .set(bearer(token));
    return { channel, key: res.body.api_key as string };
  }

  const control = async (path: string, body: object) => {
    if (path === 'statuses') body = { recipient_id: CUSTOMER, ...body };
    const res = await sandboxControl(hub, path, body);
    expect(res.status).toBe(200);
    return (await res.json()) as { payload: { entry: { changes: { value: Record<string, never[]> }[] }[] } };
  };

  async function send(key: string, text: string) {
    const res = await request(hub.app)
      .post('/waba/messages')
      .set('D360-API-KEY', key)
      .send({ messaging_product: 'whatsapp', to: CUSTOMER, type: 'text', text: { body: text } });
    expect(res.status).toBe(200);
    return res.body.messages[0].id as string;
  }

  /** The log is written after the send's answer: wait for it, event-driven by polling the table. */
  const logged = (channel: Channel, wamid: string) =>
    expect
      .poll(async () => (await hub.em().findOne(ChannelMessage, { channel: channel.id, wamid }))?.status, {
        timeout: 5000,
      })
      .toBeDefined();

  const list = (channel: Channel, query = '') =>
    request(hub.app)
      .get(`/api/v2/partners/${partner.id}/channels/${channel.id}/messages${query}`)
      .set(bearer(token));

  it('logs sends, their statuses (never backwards, failed is final), inbound messages and reads', async () => {
    const { channel, key } = await channelWithKey();
    const first = await send(key, 'hello');
    const second = await send(key, 'again');
    await logged(channel, first);
    await logged(channel, second);

    await control('statuses', { phone_number_id: channel.phoneNumberId, message_id: first, status: 'read' });
    // Meta does not keep order: a late `delivered` after `read` changes nothing.
    await control('statuses', {
      phone_number_id: channel.phoneNumberId,
      message_id: first,
      status: 'delivered',
    });
    await control('statuses', {
      phone_number_id: channel.phoneNumberId,
      message_id: second,
      status: 'failed',
    });
    await control('statuses', { phone_number_id: channel.phoneNumberId, message_id: second, status: 'read' });
    // A status for a message the log never saw (sent straight through Graph) starts its row.
    await control('statuses', {
      phone_number_id: channel.phoneNumberId,
      message_id: 'wamid.elsewhere',
      status: 'sent',
    });
    const inbound = await control('messages', {
      phone_number_id: channel.phoneNumberId,
      from: CUSTOMER,
      text: 'hi',
    });
    const inboundId = (inbound.payload.entry[0]!.changes[0]!.value.messages![0] as unknown as { id: string })
      .id;
    const read = await request(hub.app)
      .post('/waba/messages')
      .set('D360-API-KEY', key)
      .send({ messaging_product: 'whatsapp', status: 'read', message_id: inboundId });
    expect(read.status).toBe(200);
    await expect
      .poll(async () => (await hub.em().findOne(ChannelMessage, { wamid: inboundId }))?.status, {
        timeout: 5000,
      })
      .toBe('read');

    const res = await list(channel);
    expect(res.status).toBe(200);
    const byWamid = Object.fromEntries(res.body.messages.map((m: { wamid: string }) => [m.wamid, m]));
    expect(byWamid[first]).toMatchObject({
      direction: 'outbound',
      source: 'api',
      contact: CUSTOMER,
      type: 'text',
      status: 'read',
      payload: { text: { body: 'hello' } },
    });
    expect(byWamid[second]).toMatchObject({ status: 'failed', error: { code: 131026 } });
    expect(byWamid['wamid.elsewhere']).toMatchObject({
      direction: 'outbound',
      source: 'meta',
      status: 'sent',
    });
    expect(byWamid[inboundId]).toMatchObject({
      direction: 'inbound',
      source: 'customer',
      contact: CUSTOMER,
      status: 'read',
      payload: { text: { body: 'hi' } },
    });
    // One row per message, whatever Meta retried.
    expect(res.body.messages).toHaveLength(4);

    // The same log with the channel key, and over tRPC and the SDK.
    const viaKey = await request(hub.app).get('/waba/v1/messages?direction=inbound').set('D360-API-KEY', key);
    expect(viaKey.status).toBe(200);
    expect(viaKey.body.messages.map((m: { wamid: string }) => m.wamid)).toEqual([inboundId]);
    const viaTrpc = await hub.trpc(token).channels.messages({ channel_id: channel.id, status: 'failed' });
    expect(viaTrpc.messages.map((m) => m.wamid)).toEqual([second]);
    const sdk = createPartnerHubClient({ baseUrl: hub.url, token, partnerId: partner.id });
    const viaSdk = await sdk.rest.api.channels.messages({ channel_id: channel.id, direction: 'outbound' });
    expect(viaSdk.messages).toHaveLength(3);
  });

  it('coexistence echoes are outbound messages from the WhatsApp Business app', async () => {
    const { channel } = await channelWithKey({ connection_type: 'coexistence' });
    const echo = await control('message_echoes', {
      phone_number_id: channel.phoneNumberId,
      to: CUSTOMER,
      text: 'from the phone',
    });
    const wamid = (echo.payload.entry[0]!.changes[0]!.value.message_echoes![0] as unknown as { id: string })
      .id;
    const res = await list(channel, '?direction=outbound');
    expect(res.body.messages).toEqual([
      expect.objectContaining({ wamid, source: 'business_app', contact: CUSTOMER, status: 'sent' }),
    ]);
  });

  it('pages by keyset without gaps or repeats, filters by contact and time', async () => {
    const { channel, key } = await channelWithKey();
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) sent.push(await send(key, `m${i}`));
    for (const w of sent) await logged(channel, w);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(channel, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.messages.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.messages.map((m: { wamid: string }) => m.wamid));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...sent].sort());
    expect((await list(channel, `?contact=%2B${CUSTOMER}`)).body.messages).toHaveLength(7);
    expect((await list(channel, '?contact=4915100000000')).body.messages).toHaveLength(0);
    const later = new Date(hub.clock.now().getTime() + 1000).toISOString();
    expect((await list(channel, `?since=${later}`)).body.messages).toHaveLength(0);
    expect((await list(channel, `?until=${later}`)).body.messages).toHaveLength(7);
  });

  it('answers bad input with stable codes and hides other partners’ channels', async () => {
    const { channel, key } = await channelWithKey();
    for (const q of [
      '?direction=sideways',
      '?limit=0',
      '?cursor=nope',
      '?since=yesterday',
      '?contact=a%20b',
      '?x=1',
    ]) {
      const res = await list(channel, q);
      expect([res.status, res.body.error.code], q).toEqual([400, 'validation_failed']);
      const viaKey = await request(hub.app).get(`/waba/v1/messages${q}`).set('D360-API-KEY', key);
      expect(viaKey.status, q).toBe(400);
    }
    const other = await partnerFactory(hub.em(), hub.deps, 'Nosy SaaS');
    const nosy = await request(hub.app)
      .get(`/api/v2/partners/${other.partner.id}/channels/${channel.id}/messages`)
      .set(bearer(other.token));
    expect([nosy.status, nosy.body.error.code]).toEqual([404, 'not_found']);
    const noKey = await request(hub.app).get('/waba/v1/messages');
    expect(noKey.status).toBe(401);
  });

  it('logs what Meta sends however hostile, and never fails the transaction it shares with the relay', async () => {
    const { channel } = await channelWithKey();
    const nasty = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', 'y'.repeat(5000), '<script>', "' or 1=1 --"];
    const value = {
      messages: [
        ...nasty.map((n, i) => ({
          id: `wamid.h${i}${n}`,
          from: n,
          type: n,
          timestamp: n,
          text: { body: n },
        })),
        { id: '\u0000' },
        { id: 42 },
        'not an object',
        null,
        { id: 'wamid.keyed', [`k\u0000${'\ud800'}`]: 1 },
      ],
      statuses: [
        { id: 'wamid.h0', status: '\u0000' },
        { id: 'wamid.h1a\u0000b', status: 'delivered', errors: [{ code: 'x', title: '\ud800'.repeat(300) }] },
        { id: 'wamid.h1ab', status: 'x'.repeat(50), timestamp: '-5' },
      ],
      contacts: 'nope',
    };
    await hub.em().transactional(async (tx) => {
      const entries = logEntriesOf(
        { wabaId: channel.wabaId, field: 'messages', value },
        channel.id,
        hub.clock.now(),
      );
      await logMessages(tx, hub.clock.now(), entries.messages);
      await applyStatuses(tx, hub.clock.now(), entries.statuses);
    });
    const rows = await hub.em().find(ChannelMessage, { channel: channel.id });
    expect(rows.length).toBe(nasty.length + 1);
    for (const r of rows) expect(JSON.stringify(r)).not.toMatch(/\\u0000|\\ud[89a-f]/i);
    expect(rows.find((r) => r.wamid === 'wamid.h1ab')?.status).toBe('delivered');
    expect(rows.find((r) => r.wamid === 'wamid.keyed')?.payload).toBeNull();
    const page = await list(channel, '?limit=100');
    expect(page.status).toBe(200);
  });

  it('a log that cannot be written never fails a send; the first status brings the message back', async () => {
    const { channel, key } = await channelWithKey();
    await hub.em().execute('alter table channel_messages rename to channel_messages_away');
    let wamid: string;
    try {
      wamid = await send(key, 'while the log is away');
      // The batch is written (and fails, logged) while the table is gone.
      await hub.deps.outboundLog.flush();
    } finally {
      await hub.em().execute('alter table channel_messages_away rename to channel_messages');
    }
    expect(await hub.em().count(ChannelMessage, { wamid })).toBe(0);
    await control('statuses', {
      phone_number_id: channel.phoneNumberId,
      message_id: wamid,
      status: 'delivered',
    });
    const res = await list(channel);
    expect(res.body.messages).toEqual([
      expect.objectContaining({
        wamid,
        direction: 'outbound',
        source: 'meta',
        status: 'delivered',
        contact: CUSTOMER,
      }),
    ]);
  });

  it('keeps messages as long as events: the prune drops older ones only', async () => {
    const { channel, key } = await channelWithKey();
    const old = await send(key, 'old');
    await logged(channel, old);
    hub.clock.advance(31 * 24 * 3600 * 1000);
    const fresh = await send(key, 'fresh');
    await logged(channel, fresh);
    await hub.em().transactional((tx) => enqueue(tx, hub.clock, 'prune_expired', {}));
    await hub.drainJobs();
    const left = (await list(channel)).body.messages.map((m: { wamid: string }) => m.wamid);
    expect(left).toEqual([fresh]);
  });
});
