import { createHmac } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_STRIPE_KEYS } from '../../server/config/env.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { publishPriceList } from '../../server/modules/billing/price-lists.service.ts';
import { Statement } from '../../server/modules/billing/statement.entity.ts';
import { issueStatements } from '../../server/modules/billing/statements.service.ts';
import { publishTerms } from '../../server/modules/billing/terms.service.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { csrfOf } from '../support/onboarding.ts';
import { onboardSandboxChannel, TEST_ACTOR } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { insertUsage } from '../support/usage-rows.ts';

const PASSWORD = 'correct horse battery staple';

/** Partner Payment: the terms link on the sign-up form, and the partner's own monthly invoice. */
describe('Partner Payment', () => {
  const hub = useTestHub({}, { listen: true });
  let partner: Partner;
  let token: string;

  beforeAll(async () => {
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps, 'Partner Paid SaaS'));
    await publishTerms(
      hub.em(),
      hub.deps,
      { url: 'https://provider.example/terms', effectiveAt: new Date('2026-01-01') },
      TEST_ACTOR,
    );
    await publishPriceList(
      hub.em(),
      hub.clock,
      {
        currency: 'usd',
        markup_percent: 0,
        effective_at: '2026-01-01T00:00:00Z',
        rates: [{ category: 'marketing', country: '*', meta_rate: '0.025' }],
      },
      TEST_ACTOR,
    );
  });

  it('links the terms on the sign-up form and records the version the new account accepted', async () => {
    const agent = request.agent(hub.app);
    const form = await agent.get(`/permissions/${partner.id}`);
    expect(form.text).toContain(
      'By creating an account you accept the <a href="https://provider.example/terms"',
    );
    expect(form.text).toContain('name="terms_version" value="1"');
    const email = `p-${Math.random().toString(36).slice(2)}@shop.example`;
    const done = await agent
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), email, password: PASSWORD, terms_version: '1' });
    expect(done.status).toBe(303);
    const user = await hub.em().findOneOrFail(ClientUser, { email }, { populate: ['client'] });
    expect(user.client.paymentModel).toBe('partner');
    expect([user.client.termsVersion, user.client.priceListVersion]).toEqual([1, null]);
    expect(user.client.termsAcceptedAt).toBeInstanceOf(Date);
    expect(
      await hub.em().count(AuditLog, { action: 'client.terms_accepted', targetId: user.client.id }),
    ).toBe(1);
    // No price page for a partner-paid client: straight on to Embedded Signup.
    expect((await agent.get(`/permissions/${partner.id}`)).text).toContain('Add a number');
  });

  it('asks again when the terms changed while the form was open', async () => {
    const agent = request.agent(hub.app);
    const form = await agent.get(`/permissions/${partner.id}`);
    await publishTerms(hub.em(), hub.deps, { url: 'https://provider.example/terms-2' }, TEST_ACTOR);
    const stale = await agent
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        email: 'stale@shop.example',
        password: PASSWORD,
        terms_version: '1',
      });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('https://provider.example/terms-2');
    expect(await hub.em().count(ClientUser, { email: 'stale@shop.example' })).toBe(0);
  });

  it('invoices the partner for its clients’ month, and settles it when Stripe reports the invoice paid', async () => {
    const { channel } = await onboardSandboxChannel(hub, partner);
    await insertUsage(hub.em(), {
      partnerId: partner.id,
      channelId: channel.id,
      day: '2026-11-07',
      category: 'marketing',
      country: 'US',
      messages: 200,
    });
    await issueStatements(hub.em(), hub.clock, '2026-11');
    await hub.drainJobs();
    const statement = await hub
      .em()
      .findOneOrFail(Statement, { partner: partner.id, client: null, period: '2026-11' });
    expect([statement.status, statement.totalMinor, statement.paymentModel]).toEqual([
      'awaiting_payment',
      500,
      'partner',
    ]);
    expect(statement.invoiceId).toMatch(/^in_/);
    const owner = await hub.em().findOneOrFail(Partner, partner.id);
    expect(owner.billingCustomerId).toMatch(/^cus_/);

    // The partner pays the invoice (out of band, as a bank transfer would); Stripe's webhook settles it.
    const paid = await fetch(`${hub.url}/sandbox/stripe/v1/invoices/${statement.invoiceId}/pay`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SANDBOX_STRIPE_KEYS.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'paid_out_of_band=true',
    });
    expect(paid.status).toBe(200);
    await expect
      .poll(async () => (await hub.em().findOneOrFail(Statement, statement.id)).status, { timeout: 5000 })
      .toBe('paid');
    const events = await hub
      .em()
      .find(WebhookEvent, { partner: partner.id, type: { $in: ['statement.issued', 'payment.succeeded'] } });
    expect(events.map((e) => e.type).sort()).toEqual(['payment.succeeded', 'statement.issued']);
    const listed = await hub.trpc(token).billing.statements.list({ period: '2026-11' });
    expect(listed.statements).toEqual([
      expect.objectContaining({ id: statement.id, client_id: null, status: 'paid', total: '5.00' }),
    ]);
  });

  it('refuses Stripe webhooks whose signature does not match, and ignores events it has no statement for', async () => {
    const body = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'invoice.paid',
      data: { object: { id: 'in_unknown', object: 'invoice' } },
    });
    const unsigned = await request(hub.app)
      .post('/stripe/webhook')
      .set('content-type', 'application/json')
      .send(body);
    expect([unsigned.status, unsigned.body.error.code]).toEqual([401, 'unauthorized']);
    const t = Math.floor(Date.now() / 1000);
    const sign = (payload: string) =>
      createHmac('sha256', SANDBOX_STRIPE_KEYS.webhookSecret).update(`${t}.${payload}`).digest('hex');
    const tampered = await request(hub.app)
      .post('/stripe/webhook')
      .set({ 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${sign(body)}` })
      .send(body.replace('in_unknown', 'in_other'));
    expect(tampered.status).toBe(401);
    const ok = await request(hub.app)
      .post('/stripe/webhook')
      .set({ 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${sign(body)}` })
      .send(body);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ received: true, outcome: 'ignored' });
  });

  it('shows the partner its payment model and what is in force', async () => {
    const res = await request(hub.app).get(`/api/v2/partners/${partner.id}/billing`).set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      payment_model: 'partner',
      terms: { version: 2, url: 'https://provider.example/terms-2' },
      price_list: {
        version: 1,
        currency: 'usd',
        rates: [
          { category: 'marketing', country: '*', meta_rate: '0.025', markup_percent: 0, price: '0.025' },
        ],
      },
    });
    const partnerView = await request(hub.app).get(`/api/v2/partners/${partner.id}`).set(bearer(token));
    expect(partnerView.body.payment_model).toBe('partner');
  });
});
