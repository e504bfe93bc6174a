import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatMinor,
  lineAmountMinor,
  priceWithMarkup,
  toMicros,
} from '../../server/modules/billing/money.ts';
import { publishPriceList } from '../../server/modules/billing/price-lists.service.ts';
import { priceUsage } from '../../server/modules/billing/statement-lines.ts';
import type { Channel } from '../../server/modules/channels/channel.entity.ts';
import type { Client } from '../../server/modules/clients/client.entity.ts';
import type { Partner } from '../../server/modules/partners/partner.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel, TEST_ACTOR } from '../support/sandbox.ts';
import { insertUsage } from '../support/usage-rows.ts';

/**
 * A hand-checked fixture: usage rows as the ledger holds them, two price-list versions (the
 * second from 16 November), and the amounts worked out by hand below.
 *
 * v1 (EUR, markup 10 %): marketing DE 0.1365 → 0.15015; marketing * 0.0625 → 0.06875;
 *     utility * 0.03 with markup 0 → 0.03; authentication DE 0.0768 → 0.08448.
 * v2 (from 2026-11-16): marketing DE 0.14 → 0.154; marketing * → 0.06875; utility * 0.03 → 0.033;
 *     no authentication rate.
 *
 * Client A in November: marketing DE 100 (3rd) + 50 (15th) at v1 = 150 × 0.15015 = 22.5225 → 22.52;
 * marketing BR 4 at v1 = 0.275 → 0.28 (half up); utility DE 33 at v1 = 0.99; marketing DE 20
 * at v2 = 3.08; authentication DE 3 at v2: no rate, 0.00 and reported. Total 26.87.
 * Not billed: a free service message, an inbound message, December's messages, client B's.
 * The partner's statement adds client B's marketing DE 10 at v1: 160 × 0.15015 = 24.024 → 24.02;
 * total 28.37.
 */
describe('statement pricing from the usage ledger', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let clientA: Client;
  let channelA: Channel;
  let channelB: Channel;

  async function usage(
    channel: Channel,
    day: string,
    category: string,
    country: string,
    messages: number,
    extra: { billable?: boolean; direction?: 'inbound' | 'outbound' } = {},
  ) {
    await insertUsage(hub.em(), {
      partnerId: partner.id,
      channelId: channel.id,
      day,
      category,
      country,
      messages,
      ...extra,
    });
  }

  beforeAll(async () => {
    ({ partner } = await partnerFactory(hub.em(), hub.deps, 'Pricing SaaS'));
    ({ client: clientA, channel: channelA } = await onboardSandboxChannel(hub, partner));
    ({ channel: channelB } = await onboardSandboxChannel(hub, partner));
    await publishPriceList(
      hub.em(),
      hub.clock,
      {
        currency: 'eur',
        markup_percent: 10,
        effective_at: '2026-10-01T00:00:00Z',
        rates: [
          { category: 'marketing', country: 'DE', meta_rate: '0.1365' },
          { category: 'marketing', country: '*', meta_rate: '0.0625' },
          { category: 'utility', country: '*', meta_rate: '0.03', markup_percent: 0 },
          { category: 'authentication', country: 'DE', meta_rate: '0.0768' },
        ],
      },
      TEST_ACTOR,
    );
    await publishPriceList(
      hub.em(),
      hub.clock,
      {
        currency: 'eur',
        markup_percent: 10,
        effective_at: '2026-11-16T00:00:00Z',
        rates: [
          { category: 'marketing', country: 'DE', meta_rate: '0.14' },
          { category: 'marketing', country: '*', meta_rate: '0.0625' },
          { category: 'utility', country: '*', meta_rate: '0.03' },
        ],
      },
      TEST_ACTOR,
    );
    await usage(channelA, '2026-11-03', 'marketing', 'DE', 100);
    await usage(channelA, '2026-11-03', 'marketing', 'BR', 4);
    await usage(channelA, '2026-11-10', 'utility', 'DE', 33);
    await usage(channelA, '2026-11-15', 'marketing', 'DE', 50);
    await usage(channelA, '2026-11-16', 'marketing', 'DE', 20);
    await usage(channelA, '2026-11-20', 'authentication', 'DE', 3);
    await usage(channelA, '2026-11-20', 'service', 'DE', 40, { billable: false });
    await usage(channelA, '2026-11-21', 'service', 'DE', 9, { billable: false, direction: 'inbound' });
    await usage(channelA, '2026-12-01', 'marketing', 'DE', 1000);
    await usage(channelA, '2026-10-31', 'marketing', 'DE', 1000);
    await usage(channelB, '2026-11-05', 'marketing', 'DE', 10);
  });

  const byKey = (lines: { category: string; country: string; price_list_version: number }[]) =>
    Object.fromEntries(lines.map((l) => [`${l.category}/${l.country}/v${l.price_list_version}`, l]));

  it('prices a client’s month line by line with the version in force each day', async () => {
    const priced = await priceUsage(hub.em(), { partnerId: partner.id, clientId: clientA.id }, '2026-11');
    expect(priced).not.toBeNull();
    expect(priced!.currency).toBe('eur');
    expect(byKey(priced!.lines)).toEqual({
      'marketing/DE/v1': {
        category: 'marketing',
        country: 'DE',
        price_list_version: 1,
        messages: 150,
        unit_price_micros: 150150,
        amount_minor: 2252,
      },
      'marketing/BR/v1': {
        category: 'marketing',
        country: 'BR',
        price_list_version: 1,
        messages: 4,
        unit_price_micros: 68750,
        amount_minor: 28,
      },
      'utility/DE/v1': {
        category: 'utility',
        country: 'DE',
        price_list_version: 1,
        messages: 33,
        unit_price_micros: 30000,
        amount_minor: 99,
      },
      'marketing/DE/v2': {
        category: 'marketing',
        country: 'DE',
        price_list_version: 2,
        messages: 20,
        unit_price_micros: 154000,
        amount_minor: 308,
      },
      'authentication/DE/v2': {
        category: 'authentication',
        country: 'DE',
        price_list_version: 2,
        messages: 3,
        unit_price_micros: 0,
        amount_minor: 0,
      },
    });
    expect(priced!.totalMinor).toBe(2687);
    expect(formatMinor(priced!.totalMinor, 'eur')).toBe('26.87');
    expect(priced!.unpriced).toEqual(['authentication/DE']);
  });

  it('prices the partner’s month over all its clients', async () => {
    const priced = await priceUsage(hub.em(), { partnerId: partner.id, clientId: null }, '2026-11');
    expect(byKey(priced!.lines)['marketing/DE/v1']).toMatchObject({ messages: 160, amount_minor: 2402 });
    expect(priced!.totalMinor).toBe(2837);
  });

  it('has nothing to bill for a month without billable messages, and refuses a day no price list covers', async () => {
    expect(await priceUsage(hub.em(), { partnerId: partner.id, clientId: clientA.id }, '2026-09')).toBeNull();
    await usage(channelA, '2026-09-30', 'marketing', 'DE', 1);
    await expect(
      priceUsage(hub.em(), { partnerId: partner.id, clientId: clientA.id }, '2026-09'),
    ).rejects.toMatchObject({
      code: 'conflict',
      details: { day: '2026-09-30' },
    });
  });

  it('keeps money in integers: micros for rates, cents for lines, half up once per line', () => {
    expect(toMicros('0.1365')).toBe(136500);
    expect(toMicros('12')).toBe(12_000_000);
    expect(toMicros('0.000001')).toBe(1);
    expect(priceWithMarkup(100, 1250)).toBe(113); // 112.5 → 113
    expect(priceWithMarkup(136500, 1000)).toBe(150150);
    expect(lineAmountMinor(1, 5000, 'eur')).toBe(1); // 0.5 cent → 1
    expect(lineAmountMinor(1, 4999, 'eur')).toBe(0);
    expect(lineAmountMinor(3, 1_500_000, 'jpy')).toBe(5); // 4.5 yen → 5
    expect(formatMinor(5, 'eur')).toBe('0.05');
    expect(formatMinor(123456, 'jpy')).toBe('123456');
  });
});
