import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { setPaymentModel } from '../../server/modules/billing/payment-model.service.ts';
import { publishPriceList } from '../../server/modules/billing/price-lists.service.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { csrfOf } from '../support/onboarding.ts';
import { TEST_ACTOR } from '../support/sandbox.ts';

/** Stripe unreachable: the card page says so with a stable code, never a 500. */
describe('Direct Payment with Stripe down', () => {
  const hub = useTestHub({ STRIPE_API_URL: 'http://127.0.0.1:9' });
  let partner: Partner;

  beforeAll(async () => {
    ({ partner } = await partnerFactory(hub.em(), hub.deps, 'Offline SaaS'));
    const em = hub.em();
    await setPaymentModel(em, hub.clock, await em.findOneOrFail(Partner, partner.id), 'direct', TEST_ACTOR);
    await publishPriceList(
      hub.em(),
      hub.clock,
      {
        currency: 'eur',
        markup_percent: 0,
        rates: [{ category: 'marketing', country: '*', meta_rate: '0.05' }],
      },
      TEST_ACTOR,
    );
  });

  it('answers 503 payment_provider_unavailable on the price page, in HTML and in JSON', async () => {
    const agent = request.agent(hub.app);
    const form = await agent.get(`/permissions/${partner.id}`);
    await agent
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        email: 'offline@shop.example',
        password: 'correct horse battery staple',
      });
    const page = await agent.get(`/permissions/${partner.id}`);
    expect(page.status).toBe(503);
    expect(page.text).toContain('The payment provider did not answer');
    const json = await agent.get(`/permissions/${partner.id}`).set('accept', 'application/json');
    expect([json.status, json.body.error.code]).toEqual([503, 'payment_provider_unavailable']);
  }, 30_000);
});
