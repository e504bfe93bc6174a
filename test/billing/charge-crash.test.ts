import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../server/db/sql.ts';
import { chargeStatement } from '../../server/modules/billing/charge.service.ts';
import { publishPriceList } from '../../server/modules/billing/price-lists.service.ts';
import { Statement } from '../../server/modules/billing/statement.entity.ts';
import { issueStatement } from '../../server/modules/billing/statements.service.ts';
import { Client } from '../../server/modules/clients/client.entity.ts';
import { Partner } from '../../server/modules/partners/partner.entity.ts';
import { WebhookEvent } from '../../server/modules/webhooks/webhook-event.entity.ts';
import { partnerFactory } from '../support/factories.ts';
import { useTestHub } from '../support/hub.ts';
import { onboardSandboxChannel, TEST_ACTOR } from '../support/sandbox.ts';
import { confirmCard } from '../support/stripe-card.ts';
import { insertUsage } from '../support/usage-rows.ts';

/**
 * The charge job dies after Stripe charged the card and before the hub recorded it (a SIGKILL,
 * a lost connection): its retry must find the same invoice, not charge again.
 */
describe('a charge interrupted after Stripe charged', () => {
  // Stripe's own webhooks go nowhere here: they could settle the statement before the retry runs.
  const hub = useTestHub(
    { STRIPE_SANDBOX_WEBHOOK_URL: 'http://127.0.0.1:9/stripe/webhook' },
    { listen: true },
  );
  let client: Client;
  let partner: Partner;

  beforeAll(async () => {
    ({ partner } = await partnerFactory(hub.em(), hub.deps, 'Crash SaaS'));
    const onboarded = await onboardSandboxChannel(hub, partner);
    await publishPriceList(
      hub.em(),
      hub.clock,
      {
        currency: 'eur',
        markup_percent: 0,
        effective_at: '2026-01-01T00:00:00Z',
        rates: [{ category: 'marketing', country: '*', meta_rate: '0.05' }],
      },
      TEST_ACTOR,
    );
    await insertUsage(hub.em(), {
      partnerId: partner.id,
      channelId: onboarded.channel.id,
      day: '2026-11-02',
      category: 'marketing',
      country: 'DE',
      messages: 100,
    });
    // A direct-paid client with a card on file, set up through the gateway as the price page does.
    const payments = hub.deps.payments!;
    const { customerId } = await payments.createCustomer(
      { clientId: onboarded.client.id, partnerId: partner.id },
      `c:${onboarded.client.id}`,
    );
    const intent = await payments.createSetupIntent(customerId, `s:${onboarded.client.id}`);
    await confirmCard(
      hub.url,
      { publishableKey: payments.publishableKey, clientSecret: intent.clientSecret },
      '4242424242424242',
    );
    const { paymentMethodId } = await payments.setupIntentResult(intent.setupIntentId);
    await payments.setDefaultPaymentMethod(customerId, paymentMethodId!);
    await query(
      hub.em(),
      `update clients set payment_model = 'direct', billing_customer_id = ?, payment_method_id = ?, payment_method_label = 'visa •••• 4242' where id = ?`,
      [customerId, paymentMethodId, onboarded.client.id],
    );
    client = await hub.em().findOneOrFail(Client, onboarded.client.id);
  });

  it('records the charge Stripe already made, once, with one payment.succeeded', async () => {
    const em = hub.em();
    const statement = (await issueStatement(
      em,
      hub.clock,
      { partner: await em.findOneOrFail(Partner, partner.id), client },
      '2026-11',
    ))!;
    expect(statement.totalMinor).toBe(500);
    // The first attempt: Stripe charges, then the worker is killed before it records anything.
    const deps = { clock: hub.clock, payments: hub.deps.payments, graceMs: 0 };
    const killedAfterStripe = {
      ...deps,
      payments: {
        ...hub.deps.payments!,
        issueInvoice: hub.deps.payments!.issueInvoice.bind(hub.deps.payments),
      },
    };
    const first = await killedAfterStripe.payments.issueInvoice(
      {
        customerId: client.billingCustomerId!,
        currency: 'eur',
        description: 'WhatsApp messaging, 2026-11',
        lines: [{ description: '100 × marketing to DE (price list v1)', amountMinor: 500 }],
        metadata: { statement_id: statement.id, partner_id: partner.id, period: '2026-11' },
        collection: 'charge_automatically',
      },
      `statement:${statement.id}`,
    );
    expect(first.status).toBe('paid');
    expect((await hub.em().findOneOrFail(Statement, statement.id)).status).toBe('issued');

    // The job's retry.
    await chargeStatement(hub.em(), deps, statement.id);
    const settled = await hub.em().findOneOrFail(Statement, statement.id);
    expect([settled.status, settled.invoiceId]).toEqual(['paid', first.invoiceId]);
    const invoices = await query<{ n: number }>(
      hub.em(),
      `select count(*)::int as n from sandbox.stripe_objects where type = 'invoice' and customer = ?`,
      [client.billingCustomerId],
    );
    expect(invoices[0]!.n).toBe(1);
    // A second retry changes nothing.
    await chargeStatement(hub.em(), deps, statement.id);
    expect(await hub.em().count(WebhookEvent, { partner: partner.id, type: 'payment.succeeded' })).toBe(1);
  });
});
