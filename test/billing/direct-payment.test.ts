import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { AuditLog } from '../../server/modules/audit/audit-log.entity.ts';
import { setPaymentModel } from '../../server/modules/billing/payment-model.service.ts';
import { publishPriceList } from '../../server/modules/billing/price-lists.service.ts';
import { Statement } from '../../server/modules/billing/statement.entity.ts';
import { issueStatements } from '../../server/modules/billing/statements.service.ts';
import { publishTerms } from '../../server/modules/billing/terms.service.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { ClientUser } from '../../server/modules/clients/client-user.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { enqueue } from '../support/enqueue.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { csrfOf } from '../support/onboarding.ts';
import { sandboxSignup, TEST_ACTOR } from '../support/sandbox.ts';
import { bearer } from '../support/scenarios.ts';
import { cardStepOf, confirmCard } from '../support/stripe-card.ts';
import { insertUsage } from '../support/usage-rows.ts';
import { textMessage } from '../support/waba.ts';

const PASSWORD = 'correct horse battery staple';
const DAY_MS = 86_400_000;

/**
 * Direct Payment end to end without a browser (the Chromium test drives the same pages): the
 * price page, a card through the Stripe sandbox, statements charged by the worker, a failed
 * payment, the grace period, and recovery with a new card.
 */
describe('Direct Payment', () => {
  const hub = useTestHub({ BILLING_GRACE_DAYS: '3' }, { listen: true });
  let partner: Partner;
  let token: string;

  beforeAll(async () => {
    ({ partner, token } = await partnerFactory(hub.em(), hub.deps, 'Direct SaaS'));
    const em = hub.em();
    await setPaymentModel(em, hub.clock, await em.findOneOrFail(Partner, partner.id), 'direct', TEST_ACTOR);
    await publishTerms(
      hub.em(),
      hub.deps,
      { url: 'https://provider.example/terms-v1', effectiveAt: new Date('2026-01-01') },
      TEST_ACTOR,
    );
    await publishPriceList(
      hub.em(),
      hub.clock,
      {
        currency: 'eur',
        markup_percent: 10,
        effective_at: '2026-01-01T00:00:00Z',
        rates: [
          { category: 'marketing', country: '*', meta_rate: '0.0625' },
          { category: 'utility', country: 'DE', meta_rate: '0.0300' },
        ],
      },
      TEST_ACTOR,
    );
  });

  /** Signs a business up on the partner's page; answers the agent and the price page. */
  async function signUp() {
    const agent = request.agent(hub.app);
    const form = await agent.get(`/permissions/${partner.id}`);
    expect(form.text).not.toContain('terms of service</a>.'); // Direct Payment asks on its own page
    const email = `owner-${Math.random().toString(36).slice(2)}@bakery.example`;
    await agent
      .post(`/permissions/${partner.id}/signup`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), email, password: PASSWORD, business_name: 'Sunrise Bakery' });
    const user = await hub.em().findOneOrFail(ClientUser, { email }, { populate: ['client'] });
    return { agent, email, clientId: user.client.id };
  }

  async function saveCard(
    agent: ReturnType<typeof request.agent>,
    number: string,
    threeDs: 'complete' | 'fail' = 'complete',
  ) {
    const page = await agent.get(`/permissions/${partner.id}`);
    expect(page.status).toBe(200);
    const step = cardStepOf(page.text);
    const intent = await confirmCard(hub.url, step, number, threeDs);
    const saved = await agent
      .post(step.completeUrl)
      .set({ 'x-csrf-token': step.csrfToken, accept: 'application/json' })
      .send({
        setup_intent: intent.id,
        accept: true,
        terms_version: step.termsVersion,
        price_list_version: step.priceListVersion,
      });
    return { page, step, intent, saved };
  }

  async function connectNumber(agent: ReturnType<typeof request.agent>) {
    const page = await agent.get(`/permissions/${partner.id}`);
    const signup = await sandboxSignup(hub);
    const added = await agent
      .post(`/permissions/${partner.id}/channels`)
      .set({ 'x-csrf-token': csrfOf(page.text), accept: 'application/json' })
      .send(signup);
    return { added, page };
  }

  async function usage(channelId: string, day: string, category: string, country: string, messages: number) {
    await insertUsage(hub.em(), { partnerId: partner.id, channelId, day, category, country, messages });
  }

  /** The client user logged in to the client hub (`/hub`). */
  async function clientHubAgent(email: string) {
    const agent = request.agent(hub.app);
    const login = await agent.get('/hub');
    await agent
      .post('/hub/login')
      .type('form')
      .send({ _csrf: csrfOf(login.text), email, password: PASSWORD });
    return agent;
  }

  const eventsOf = async (type: string) =>
    (await hub.em().find(WebhookEvent, { partner: partner.id, type }, { orderBy: { id: 'asc' } })).map(
      (e) => (JSON.parse(e.body) as { data: Record<string, unknown> }).data,
    );

  it('shows the prices and terms after sign-up and keeps the client from Embedded Signup until it accepts them with a card', async () => {
    const { agent, clientId } = await signUp();
    const page = await agent.get(`/permissions/${partner.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Prices and payment');
    expect(page.text).toContain('https://provider.example/terms-v1');
    expect(page.text).toMatch(/All other countries<\/td><td>0\.06875 EUR/);
    expect(page.text).toMatch(/Utility<\/td><td>DE<\/td><td>0\.033 EUR/);
    expect(page.text).toContain('id="payment-element"');
    expect(page.text).not.toContain('Add a number');
    const client = await hub.em().findOneOrFail(Client, clientId);
    expect(client.paymentModel).toBe('direct');
    expect(client.billingCustomerId).toMatch(/^cus_/);

    const early = await connectNumber(agent);
    expect([early.added.status, early.added.body.error.code]).toEqual([402, 'payment_required']);

    const step = cardStepOf(page.text);
    const unticked = await agent
      .post(step.completeUrl)
      .set({ 'x-csrf-token': step.csrfToken, accept: 'application/json' })
      .send({ setup_intent: 'seti_x', accept: false });
    expect([unticked.status, unticked.body.error.code]).toEqual([400, 'validation_failed']);
    const stale = await agent
      .post(step.completeUrl)
      .set({ 'x-csrf-token': step.csrfToken, accept: 'application/json' })
      .send({ setup_intent: 'seti_x', accept: true, terms_version: 1, price_list_version: 99 });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'conflict']);
    const forged = await agent
      .post(step.completeUrl)
      .set({ 'x-csrf-token': step.csrfToken, accept: 'application/json' })
      .send({ setup_intent: 'seti_someone_else', accept: true, terms_version: 1, price_list_version: 1 });
    expect([forged.status, forged.body.error.code]).toEqual([403, 'forbidden']);
    const noCsrf = await agent
      .post(step.completeUrl)
      .set({ accept: 'application/json' })
      .send({ setup_intent: 'seti_x', accept: true });
    expect([noCsrf.status, noCsrf.body.error.code]).toEqual([403, 'invalid_csrf_token']);
  });

  it('refuses onboarding links, which have no price page, with 409 conflict', async () => {
    const res = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/onboarding_sessions`)
      .set(bearer(token))
      .send({ tenant_id: 'tenant-1' });
    expect([res.status, res.body.error.code, res.body.error.details]).toEqual([
      409,
      'conflict',
      { payment_model: 'direct' },
    ]);
    await expect(hub.trpc(token).onboarding.create({ tenant_id: 'tenant-2' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('refuses a declined card and a failed 3-D Secure check, and accepts a card after authentication', async () => {
    const { agent, clientId } = await signUp();
    const declined = await saveCard(agent, '4000000000000002');
    expect(declined.intent.error?.code).toBe('card_declined');
    expect([declined.saved.status, declined.saved.body.error.code]).toEqual([402, 'payment_failed']);
    const failed3ds = await saveCard(agent, '4000002500003155', 'fail');
    expect([failed3ds.saved.status, failed3ds.saved.body.error.code]).toEqual([402, 'payment_failed']);
    expect((await hub.em().findOneOrFail(Client, clientId)).paymentMethodId).toBeNull();

    const ok = await saveCard(agent, '4000002500003155', 'complete');
    expect(ok.saved.status, JSON.stringify(ok.saved.body)).toBe(200);
    expect(ok.saved.body.next).toBe(`/permissions/${partner.id}`);
    const client = await hub.em().findOneOrFail(Client, clientId);
    expect(client.paymentMethodId).toMatch(/^pm_/);
    expect(client.paymentMethodLabel).toBe('visa •••• 3155, 12/34');
    expect([client.termsVersion, client.priceListVersion]).toEqual([1, 1]);
    expect(client.termsAcceptedAt).toBeInstanceOf(Date);
    const audit = await hub.em().find(AuditLog, {
      targetId: clientId,
      action: { $in: ['client.terms_accepted', 'client.card_added'] },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(['client.card_added', 'client.terms_accepted']);
    expect(audit.find((a) => a.action === 'client.terms_accepted')?.details).toMatchObject({
      terms_version: 1,
      price_list_version: 1,
    });
    // Nothing of the card but the provider's ids and the label is stored.
    const [row] = await query<Record<string, unknown>>(hub.em(), 'select * from clients where id = ?', [
      clientId,
    ]);
    expect(JSON.stringify(row)).not.toMatch(/4000002500003155|123/);

    const grant = await agent.get(`/permissions/${partner.id}`);
    expect(grant.text).toContain('Add a number');
  });

  it('charges the month’s statement to the card, announces it, and shows it to the partner and in the client hub', async () => {
    const { agent, clientId, email } = await signUp();
    expect((await saveCard(agent, '4242424242424242')).saved.status).toBe(200);
    const { added } = await connectNumber(agent);
    expect(added.status).toBe(201);
    await usage(added.body.channel_id, '2026-11-02', 'marketing', 'BR', 10); // 10 × 0.06875 = 0.6875 → 0.69
    await usage(added.body.channel_id, '2026-11-03', 'utility', 'DE', 100); // 100 × 0.033 = 3.30

    const result = await issueStatements(hub.em(), hub.clock, '2026-11');
    expect(result.skipped).toEqual([]);
    const statement = await hub.em().findOneOrFail(Statement, { client: clientId, period: '2026-11' });
    expect([statement.status, statement.totalMinor]).toEqual(['issued', 399]);
    // Issuing again is a no-op: the month is billed once.
    await issueStatements(hub.em(), hub.clock, '2026-11');
    expect(await hub.em().count(Statement, { client: clientId })).toBe(1);

    await hub.drainJobs();
    const paid = await hub.em().findOneOrFail(Statement, statement.id);
    expect(paid.status).toBe('paid');
    expect(paid.invoiceId).toMatch(/^in_/);
    expect((await eventsOf('statement.issued')).filter((e) => e.client_id === clientId)).toEqual([
      expect.objectContaining({
        statement_id: statement.id,
        period: '2026-11',
        total: '3.99',
        currency: 'eur',
        payment_model: 'direct',
      }),
    ]);
    expect((await eventsOf('payment.succeeded')).filter((e) => e.client_id === clientId)).toEqual([
      expect.objectContaining({ statement_id: statement.id, invoice_id: paid.invoiceId, total: '3.99' }),
    ]);

    const listed = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/statements`)
      .query({ client_id: clientId })
      .set(bearer(token));
    expect(listed.status).toBe(200);
    expect(listed.body.statements).toEqual([
      expect.objectContaining({
        id: statement.id,
        status: 'paid',
        total: '3.99',
        lines: expect.arrayContaining([
          {
            category: 'marketing',
            country: 'BR',
            price_list_version: 1,
            messages: 10,
            unit_price: '0.06875',
            amount: '0.69',
          },
          {
            category: 'utility',
            country: 'DE',
            price_list_version: 1,
            messages: 100,
            unit_price: '0.033',
            amount: '3.30',
          },
        ]),
      }),
    ]);
    const trpc = await hub.trpc(token).billing.statements.get({ statement_id: statement.id });
    expect(trpc.total).toBe('3.99');
    const balance = await request(hub.app)
      .get(`/api/v2/partners/${partner.id}/clients/${clientId}/info/balance`)
      .query({ start_date: '2026-11-01', end_date: '2026-11-30', granularity: 'MONTH' })
      .set(bearer(token));
    expect(balance.body).toMatchObject({
      balance: '0.00',
      currency: 'eur',
      usage: [
        {
          period_date: '2026-11-01',
          quantity: 110,
          paid_quantity: 110,
          paid_by_category: { marketing: 10, utility: 100 },
          total_price: '3.99',
        },
      ],
    });

    const hubAgent = await clientHubAgent(email);
    const clientHub = await hubAgent.get('/hub');
    expect(clientHub.text).toContain('Card on file: visa •••• 4242, 12/34');
    expect(clientHub.text).toMatch(/2026-11<\/td><td>paid<\/td><td>3\.99 EUR/);
  });

  it('stops sending after a failed payment’s grace period, and resumes when a new card pays it', async () => {
    const { agent, clientId, email } = await signUp();
    // Saves fine; every later charge is declined (Stripe's 4000 0000 0000 0341).
    expect((await saveCard(agent, '4000000000000341')).saved.status).toBe(200);
    const { added } = await connectNumber(agent);
    const channelId = added.body.channel_id as string;
    const page = await agent.get(`/permissions/${partner.id}`);
    await agent
      .post(`/permissions/${partner.id}/confirm`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), channels: channelId });
    const key = await request(hub.app)
      .post(`/api/v2/partners/${partner.id}/channels/${channelId}/api_keys`)
      .set(bearer(token));
    const send = () =>
      request(hub.app)
        .post('/waba/messages')
        .set({ 'D360-API-KEY': key.body.api_key, 'content-type': 'application/json' })
        .send(textMessage('Hi'));
    await usage(channelId, '2026-11-10', 'marketing', 'US', 4);

    await issueStatements(hub.em(), hub.clock, '2026-11');
    await hub.drainJobs();
    const statement = await hub.em().findOneOrFail(Statement, { client: clientId });
    expect([statement.status, statement.failureCode]).toEqual(['payment_failed', 'generic_decline']);
    const client = await hub.em().findOneOrFail(Client, clientId);
    expect(client.billingStatus).toBe('past_due');
    const failedEvent = (await eventsOf('payment.failed')).find((e) => e.client_id === clientId);
    expect(failedEvent).toMatchObject({
      statement_id: statement.id,
      failure_code: 'generic_decline',
      grace_until: new Date(client.pastDueSince!.getTime() + 3 * DAY_MS).toISOString(),
    });
    // Within the grace period the channel still sends.
    expect((await send()).status).toBe(200);

    hub.clock.advance(3 * DAY_MS + 60_000);
    await enqueue(hub.em(), hub.clock, 'enforce_billing_grace', {});
    await hub.drainJobs();
    expect((await hub.em().findOneOrFail(Client, clientId)).billingStatus).toBe('suspended');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the key cache (≤ 1 s)
    const refused = await send();
    expect([refused.status, refused.body.error.code]).toEqual([402, 'payment_required']);
    expect(refused.body.error.details.past_due_since).toBe(client.pastDueSince!.toISOString());
    expect((await eventsOf('channel.updated')).filter((e) => e.channel_id === channelId)).toEqual([
      expect.objectContaining({ changed_fields: ['billing_status'] }),
    ]);

    // A new card in the client hub pays what failed; sending resumes.
    const hubAgent = await clientHubAgent(email);
    const overview = await hubAgent.get('/hub');
    expect(overview.text).toContain('Sending is suspended');
    const replace = await hubAgent.get('/hub/billing/card');
    const step = cardStepOf(replace.text);
    const intent = await confirmCard(hub.url, step, '4242424242424242');
    const saved = await hubAgent
      .post('/hub/billing/card')
      .set({ 'x-csrf-token': step.csrfToken, accept: 'application/json' })
      .send({ setup_intent: intent.id });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    await hub.drainJobs();
    expect((await hub.em().findOneOrFail(Statement, statement.id)).status).toBe('paid');
    const recovered = await hub.em().findOneOrFail(Client, clientId);
    expect([recovered.billingStatus, recovered.pastDueSince]).toEqual(['ok', null]);
    expect((await eventsOf('channel.updated')).filter((e) => e.channel_id === channelId)).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await send()).status).toBe(200);
  });
});
