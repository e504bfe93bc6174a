import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { BillingTerms } from '../../server/modules/billing/billing-terms.entity.ts';
import { PriceList } from '../../server/modules/billing/price-list.entity.ts';
import { publishPriceList } from '../../server/modules/billing/price-lists.service.ts';
import { Statement } from '../../server/modules/billing/statement.entity.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { useTestHub } from '../support/hub.ts';
import { csrfOf } from '../support/onboarding.ts';
import { sandboxSignup, TEST_ACTOR } from '../support/sandbox.ts';
import { partnerWithChannel } from '../support/scenarios.ts';
import { cardStepOf, confirmCard } from '../support/stripe-card.ts';
import { insertUsage } from '../support/usage-rows.ts';

const DEMO = { 'x-demo': '1' };

/** The demo switched to Direct Payment: its switch, its demo prices, and its statement action. */
describe('the /demo billing routes (sandbox mode)', () => {
  const hub = useTestHub({}, { listen: true });
  let demoId: string;
  const period = () => hub.clock.now().toISOString().slice(0, 7);
  const switchTo = (payment_model: unknown) =>
    request(hub.app).post('/demo/api/payment-model').set(DEMO).send({ payment_model });

  beforeAll(async () => {
    expect((await request(hub.app).get('/demo')).status).toBe(200);
    demoId = (await hub.em().findOneOrFail(Partner, { isDemo: true })).id;
  });

  it('refuses calls that do not come from the demo page, and bad input', async () => {
    const foreign = await request(hub.app).post('/demo/api/payment-model').send({ payment_model: 'direct' });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'forbidden']);
    for (const body of [{ payment_model: 'free' }, {}, { payment_model: 'direct', extra: 1 }]) {
      const bad = await request(hub.app).post('/demo/api/payment-model').set(DEMO).send(body);
      expect([bad.status, bad.body.error.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
    }
    const noStatement = await request(hub.app).post('/demo/api/statements').send({});
    expect(noStatement.status).toBe(403);
    expect((await hub.em().findOneOrFail(Partner, demoId)).paymentModel).toBe('partner');
    expect(await hub.em().count(PriceList, {})).toBe(0);
  });

  it('switches to Direct Payment and publishes demo prices and terms once, from the start of the month', async () => {
    const res = await switchTo('direct');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      changed: true,
      prices: { price_list_version: 1, terms_version: 1, published: { price_list: true, terms: true } },
      billing: { payment_model: 'direct', price_list: { version: 1, currency: 'eur' }, statements: [] },
    });
    expect((await hub.em().findOneOrFail(Partner, demoId)).paymentModel).toBe('direct');
    const now = hub.clock.now();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const list = await hub.em().findOneOrFail(PriceList, { version: 1 });
    expect(list.effectiveAt).toEqual(monthStart);
    expect(list.rates).toContainEqual(
      expect.objectContaining({
        category: 'marketing',
        country: 'DE',
        markup_percent: 10,
        price_micros: 150_150,
      }),
    );
    const terms = await hub.em().findOneOrFail(BillingTerms, { version: 1 });
    expect([terms.url, terms.effectiveAt]).toEqual([`${hub.url}/demo/terms`, monthStart]);
    const termsPage = await request(hub.app).get('/demo/terms');
    expect([termsPage.status, termsPage.text.includes('Demo terms of service')]).toEqual([200, true]);
    expect((await request(hub.app).get('/demo')).text).toMatch(/value="direct" checked/);

    // Again, and after an operator published prices: nothing is published over them.
    expect((await switchTo('direct')).body).toMatchObject({
      changed: false,
      prices: { published: { price_list: false, terms: false } },
    });
    await publishPriceList(
      hub.em(),
      hub.clock,
      {
        currency: 'eur',
        markup_percent: 20,
        rates: [{ category: 'marketing', country: '*', meta_rate: '0.05' }],
      },
      TEST_ACTOR,
    );
    expect((await switchTo('partner')).body).toMatchObject({ changed: true, prices: null });
    const back = await switchTo('direct');
    expect(back.body).toMatchObject({
      prices: { price_list_version: 2, published: { price_list: false } },
      billing: { price_list: { version: 2 } },
    });
    expect([await hub.em().count(PriceList, {}), await hub.em().count(BillingTerms, {})]).toEqual([2, 1]);
  });

  it('bills a client connected through the direct-paid flow for the demo’s traffic, and no other partner', async () => {
    // The client's side, as the connect popup runs it: sign up, prices and card, a number.
    const agent = request.agent(hub.app);
    const form = await agent.get(`/permissions/${demoId}`);
    const email = `owner-${Date.now()}@bakery.example`;
    await agent
      .post(`/permissions/${demoId}/signup`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), email, password: 'correct horse battery staple' });
    const { client } = await hub.em().findOneOrFail(ClientUser, { email }, { populate: ['client'] });
    const pricePage = await agent.get(`/permissions/${demoId}`);
    expect(pricePage.text).toContain('Prices and payment');
    const step = cardStepOf(pricePage.text);
    const intent = await confirmCard(hub.url, step, '4242424242424242');
    const saved = await agent
      .post(step.completeUrl)
      .set({ 'x-csrf-token': step.csrfToken, accept: 'application/json' })
      .send({
        setup_intent: intent.id,
        accept: true,
        terms_version: step.termsVersion,
        price_list_version: step.priceListVersion,
      });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const grantPage = await agent.get(`/permissions/${demoId}`);
    const added = await agent
      .post(`/permissions/${demoId}/channels`)
      .set({ 'x-csrf-token': csrfOf(grantPage.text), accept: 'application/json' })
      .send(await sandboxSignup(hub));
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const channelId = added.body.channel_id as string;
    await agent
      .post(`/permissions/${demoId}/confirm`)
      .type('form')
      .send({ _csrf: csrfOf(grantPage.text), channels: channelId });

    // The demo sends; the sandbox's delivered status carries Meta's pricing, which the ledger counts.
    const sent = await request(hub.app)
      .post(`/demo/api/channels/${channelId}/send`)
      .set(DEMO)
      .send({ to: '+4915112345678', text: 'Your bread is ready', category: 'marketing' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    await expect
      .poll(
        async () => {
          await hub.drainJobs();
          return query<{ category: string; country: string; messages: number }>(
            hub.em(),
            `select category, country, messages from usage_days where channel_id = ? and billable`,
            [channelId],
          );
        },
        { timeout: 10_000, interval: 200 },
      )
      .toEqual([{ category: 'marketing', country: 'DE', messages: 1 }]);
    const day = hub.clock.now().toISOString().slice(0, 10);
    await usage(demoId, channelId, day, 'utility', 'US', 100); // 100 × 0.022 = 2.20
    // Another partner's month stays open: the demo bills its own partner only.
    const other = await partnerWithChannel(hub, 'Another SaaS');
    await usage(other.partner.id, other.channel.id, day, 'marketing', 'FR', 5);

    const issued = await request(hub.app).post('/demo/api/statements').set(DEMO).send({});
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(issued.body).toMatchObject({ period: period(), issued: 1, skipped: [] });
    expect(issued.body.statements).toEqual([
      expect.objectContaining({
        client_id: client.id,
        period: period(),
        payment_model: 'direct',
        status: 'issued',
        // Today is priced with v1 (in force at the day's start; the operator's v2 came later):
        // 1 × 0.15015 → 0.15, plus 2.20.
        total: '2.35',
      }),
    ]);
    expect(await hub.em().count(Statement, { partner: other.partner.id })).toBe(0);

    await hub.drainJobs();
    const state = await request(hub.app).get('/demo/api/billing').set(DEMO);
    expect(state.body.statements).toEqual([
      expect.objectContaining({ id: issued.body.statements[0].id, status: 'paid' }),
    ]);
    // Issuing again shows the same statement: the month is billed once.
    const again = await request(hub.app).post('/demo/api/statements').set(DEMO).send({});
    expect(again.body.statements).toEqual([
      expect.objectContaining({ id: issued.body.statements[0].id, status: 'paid' }),
    ]);
    expect(await hub.em().count(Statement, { client: client.id })).toBe(1);
  });

  async function usage(
    partnerId: string,
    channelId: string,
    day: string,
    category: string,
    country: string,
    messages: number,
  ) {
    await insertUsage(hub.em(), { partnerId, channelId, day, category, country, messages });
  }
});
