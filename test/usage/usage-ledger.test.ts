import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPartnerHubClient } from '../../client/src/index.ts';
import { query } from '../../server/db/sql.ts';
import { signMetaBody } from '../../server/meta/webhook-signature.ts';
import type { Channel } from '../../server/modules/channels/channel.entity.ts';
import { countUsage } from '../../server/modules/usage/usage-ledger.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { runCli } from '../support/processes.ts';
import { onboardSandboxChannel } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';

const DAY = '2026-11-30';
const AT = String(Date.parse(`${DAY}T12:00:00Z`) / 1000);

const pricing = (category: string, billable = true) => ({ billable, pricing_model: 'PMP', category });
const status = (id: string, state: string, price?: object) => ({
  id,
  status: state,
  timestamp: AT,
  recipient_id: '4915112345678',
  ...(price ? { pricing: price } : {}),
});

function payload(channel: Channel, value: Record<string, unknown>) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: channel.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: channel.phoneNumber, phone_number_id: channel.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  });
}

describe('the usage ledger', () => {
  const hub = useTestHub({}, { listen: true });
  let partnerId: string;
  let token: string;
  let channel: Channel;

  const postMeta = (raw: string) =>
    request(hub.app)
      .post('/meta/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signMetaBody(hub.deps.meta.appSecret, raw))
      .send(raw)
      .expect(200);
  const usage = (q: Record<string, string> = {}, id = partnerId, tok = token) =>
    request(hub.app).get(`/api/v2/partners/${id}/usage`).query(q).set(bearer(tok));

  beforeAll(async () => {
    const created = await partnerFactory(hub.em(), hub.deps, 'Ledger SaaS');
    ({ token } = created);
    partnerId = created.partner.id;
    ({ channel } = await onboardSandboxChannel(hub, created.partner));
    // A marketing message reported sent and delivered (once, counted once), out of order.
    await postMeta(payload(channel, { statuses: [status('wamid.m1', 'delivered', pricing('marketing'))] }));
    await postMeta(payload(channel, { statuses: [status('wamid.m1', 'sent', pricing('marketing'))] }));
    // Two utility messages in one payload, one of them read (read carries no pricing).
    await postMeta(
      payload(channel, {
        statuses: [
          status('wamid.u1', 'sent', pricing('utility')),
          status('wamid.u2', 'sent', pricing('utility')),
          status('wamid.u1', 'read'),
        ],
      }),
    );
    // A free service reply, and a customer's message.
    await postMeta(payload(channel, { statuses: [status('wamid.s1', 'sent', pricing('service', false))] }));
    const inbound = payload(channel, {
      contacts: [{ profile: { name: 'Ana' }, wa_id: '4915112345678' }],
      messages: [
        { from: '4915112345678', id: 'wamid.in1', timestamp: AT, type: 'text', text: { body: 'hi' } },
      ],
    });
    await postMeta(inbound);
    // Meta retrying the same payload counts nothing again.
    await postMeta(inbound);
  });

  const expectedRows = () => [
    {
      day: DAY,
      channel_id: channel.id,
      direction: 'inbound',
      category: 'service',
      pricing_model: '',
      billable: false,
      country: 'DE',
      messages: 1,
    },
    {
      day: DAY,
      channel_id: channel.id,
      direction: 'outbound',
      category: 'marketing',
      pricing_model: 'PMP',
      billable: true,
      country: 'DE',
      messages: 1,
    },
    {
      day: DAY,
      channel_id: channel.id,
      direction: 'outbound',
      category: 'service',
      pricing_model: 'PMP',
      billable: false,
      country: 'DE',
      messages: 1,
    },
    {
      day: DAY,
      channel_id: channel.id,
      direction: 'outbound',
      category: 'utility',
      pricing_model: 'PMP',
      billable: true,
      country: 'DE',
      messages: 2,
    },
  ];

  it('counts each message once per day, direction and pricing, over REST, tRPC and the SDK', async () => {
    const res = await usage({ from: DAY, to: DAY });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: DAY,
      to: DAY,
      rows: expectedRows(),
      totals: { messages: 5, billable: 3 },
    });
    expect(await hub.trpc(token).usage.report({ from: DAY, to: DAY })).toEqual(res.body);
    const sdk = createPartnerHubClient({ baseUrl: hub.url, token, partnerId });
    expect(await sdk.rest.api.usage.report({ from: DAY, to: DAY, channel_id: channel.id })).toEqual(res.body);
    expect((await usage({ from: '2026-11-01', to: '2026-11-29' })).body.rows).toEqual([]);
  });

  it('exports CSV when asked with Accept: text/csv', async () => {
    const res = await usage({ from: DAY, to: DAY }).set('accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = res.text.trimEnd().split('\r\n');
    expect(header).toBe('day,channel_id,direction,category,pricing_model,billable,messages,country');
    expect(lines).toEqual(
      expectedRows().map((r) =>
        [
          r.day,
          r.channel_id,
          r.direction,
          r.category,
          r.pricing_model,
          r.billable,
          r.messages,
          r.country,
        ].join(','),
      ),
    );
  });

  it('shows a partner only its own usage, and refuses bad ranges with validation_failed', async () => {
    const other = await partnerFactory(hub.em(), hub.deps, 'Other SaaS');
    expect((await usage({ from: DAY, to: DAY }, other.partner.id, other.token)).body.rows).toEqual([]);
    expect((await usage({}, partnerId, other.token)).status).toBe(403);
    const refused: Record<string, string>[] = [
      { from: '2026-12-02', to: '2026-12-01' },
      { from: '2025-01-01', to: '2026-12-01' },
      { from: '2026-13-01' },
      { to: 'yesterday' },
      { channel_id: 'chn_../../etc' },
      { extra: '1' },
    ];
    for (const q of refused) {
      const res = await usage(q);
      expect([res.status, res.body.error?.code], JSON.stringify(q)).toEqual([400, 'validation_failed']);
    }
  });

  it('commits with the change that caused it, or not at all', async () => {
    await expect(
      hub.em().transactional(async (tx) => {
        await countUsage(tx, hub.clock.now(), [
          {
            partnerId,
            channelId: channel.id,
            value: { statuses: [status('wamid.rolled', 'sent', pricing('marketing'))] },
          },
        ]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const seen = await query(hub.em(), `select 1 from usage_messages where wamid = 'wamid.rolled'`);
    expect(seen).toEqual([]);
    expect((await usage({ from: DAY, to: DAY })).body.totals).toEqual({ messages: 5, billable: 3 });
  });

  it('counts what the sandbox reports, end to end (its statuses carry Meta’s pricing)', async () => {
    const control = (body: object) =>
      fetch(`${hub.url}/sandbox/control/statuses`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${hub.deps.meta.appId}|${hub.deps.meta.appSecret}`,
        },
        body: JSON.stringify({
          phone_number_id: channel.phoneNumberId,
          recipient_id: '4915112345678',
          ...body,
        }),
      });
    for (const state of ['sent', 'delivered', 'read'])
      expect(
        (await control({ message_id: 'wamid.sandbox-mkt', status: state, category: 'marketing' })).status,
      ).toBe(200);
    expect((await control({ message_id: 'wamid.sandbox-svc', status: 'delivered' })).status).toBe(200);
    const today = (await usage()).body;
    expect(today.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          direction: 'outbound',
          category: 'marketing',
          billable: true,
          messages: 1,
        }),
        expect.objectContaining({ direction: 'outbound', category: 'service', billable: false, messages: 1 }),
      ]),
    );
  });

  it('is printed by `partner-hub usage` for operators', async () => {
    const env = { DATABASE_URL: hub.databaseUrl, HUB_SECRET: hub.deps.config.hubSecret! };
    const json = await runCli(['usage', '--partner', partnerId, '--from', DAY, '--to', DAY, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual((await usage({ from: DAY, to: DAY })).body);
    const csv = await runCli(['usage', '--partner', partnerId, '--from', DAY, '--to', DAY, '--csv'], env);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'day,channel_id,direction,category,pricing_model,billable,messages,country',
    );
    const bad = await runCli(['usage', '--partner', partnerId, '--from', 'soon'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--from');
  }, 60_000);

  it('never fails a relay: hostile statuses are counted as far as they make sense, or skipped', async () => {
    await postMeta(
      payload(channel, {
        statuses: [
          status('wamid.\u0000nul\ud800', 'sent', {
            billable: 'yes',
            pricing_model: 7,
            category: 'mar\u0000keting\udfff',
          }),
          status('', 'sent', pricing('utility')),
          { id: 'wamid.no-timestamp', status: 'sent', timestamp: 'soon', pricing: pricing('utility') },
          'not an object',
          null,
        ],
        messages: [{ id: 42 }, { id: 'wamid.x'.repeat(100), timestamp: '1e30' }],
      }),
    );
    const odd = await query(
      hub.em(),
      `select pricing_model, billable, messages from usage_days where partner_id = ? and day = ?::date and category = ?`,
      [partnerId, DAY, 'marketing\ufffd'],
    );
    expect(odd).toEqual([{ pricing_model: '', billable: false, messages: 1 }]);
    const today = (
      (await usage()).body.rows as { day: string; direction: string; category: string; messages: number }[]
    ).filter((r) => r.day !== DAY);
    expect(today.find((r) => r.direction === 'outbound' && r.category === 'utility')?.messages).toBe(1);
    expect(today.find((r) => r.direction === 'inbound')?.messages).toBe(1);
    const relayed = await query(
      hub.em(),
      `select 1 from webhook_events where channel_id = ? and body like ?`,
      [channel.id, '%wamid.no-timestamp%'],
    );
    expect(relayed).toHaveLength(1);
  });
});
