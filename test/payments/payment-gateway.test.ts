import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { SANDBOX_STRIPE_KEYS } from '../../server/config/env.ts';
import { PaymentGatewayError, WebhookSignatureError } from '../../server/payments/payment-error.ts';
import type { PaymentGateway } from '../../server/payments/payment-gateway.ts';
import { createPaymentGateway } from '../../server/payments/payment-gateway.ts';
import { stripeClient } from '../../server/payments/stripe-client.ts';
import { stripeSignature } from '../../server/sandbox/stripe/webhooks.ts';
import { useTestHub } from '../support/hub.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A loopback receiver standing in for the hub's /stripe/webhook: it keeps what arrives. */
const received: Received[] = [];
const receiver: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(200).end('{}');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/stripe/webhook`;
afterAll(() => new Promise((resolve) => receiver.close(resolve)));

const hub = useTestHub({ STRIPE_SANDBOX_WEBHOOK_URL: receiverUrl }, { listen: true });

const gateway = (): PaymentGateway => createPaymentGateway(hub.deps.config.payments)!;
const nextYear = String(new Date().getUTCFullYear() + 1);

/** The browser's part (Stripe.js): confirm the SetupIntent with a test card and the publishable key. */
async function saveCard(customerId: string, number: string): Promise<string> {
  const { setupIntentId, clientSecret } = await gateway().createSetupIntent(
    customerId,
    `seti-${number}-${customerId}`,
  );
  const browser = stripeClient(hub.deps.config.payments.apiUrl, SANDBOX_STRIPE_KEYS.publishableKey);
  await browser.setupIntents.confirm(setupIntentId, {
    client_secret: clientSecret,
    payment_method_data: { type: 'card', card: { number, exp_month: '11', exp_year: nextYear, cvc: '314' } },
  } as Stripe.SetupIntentConfirmParams);
  const result = await gateway().setupIntentResult(setupIntentId);
  expect(result).toMatchObject({ status: 'succeeded', customerId, failure: null });
  await gateway().setDefaultPaymentMethod(customerId, result.paymentMethodId!);
  return result.paymentMethodId!;
}

async function newCustomer(name: string) {
  const { customerId } = await gateway().createCustomer(
    { partnerId: 'partner_1', clientId: 'client_1', email: 'billing@example.com', name },
    `cus-${name}-${Date.now()}`,
  );
  return customerId;
}

const invoice = (
  customerId: string,
  collection: 'charge_automatically' | 'send_invoice' = 'charge_automatically',
) => ({
  customerId,
  currency: 'EUR',
  description: 'Partner Hub, November 2026',
  lines: [
    { description: 'Channel fee', amountMinor: 4900 },
    { description: 'Conversations', amountMinor: 1234 },
  ],
  metadata: { billing_period: '2026-11' },
  collection,
});

async function eventOfType(type: string, objectId: string): Promise<Received> {
  for (let i = 0; i < 100; i++) {
    const hit = received.find((r) => {
      const event = JSON.parse(r.body.toString('utf8'));
      return event.type === type && event.data.object.id === objectId;
    });
    if (hit) return hit;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${type} webhook for ${objectId}`);
}

describe('the Stripe payment gateway, against the sandbox', () => {
  it('is configured in sandbox mode with the sandbox keys, and absent in production without keys', () => {
    expect(gateway().publishableKey).toBe(SANDBOX_STRIPE_KEYS.publishableKey);
    expect(gateway().jsUrl).toBe(`${hub.url}/sandbox/stripe/js/v3`);
    const production = { ...hub.deps.config.payments, mode: 'production' as const, secretKey: undefined };
    expect(createPaymentGateway(production)).toBeUndefined();
  });

  it('saves a card, summarises it and charges an invoice with its lines', async () => {
    const customerId = await newCustomer('acme');
    const paymentMethodId = await saveCard(customerId, '4242424242424242');
    expect(await gateway().paymentMethodSummary(paymentMethodId)).toEqual({
      brand: 'visa',
      last4: '4242',
      expMonth: 11,
      expYear: Number(nextYear),
    });
    const result = await gateway().issueInvoice(invoice(customerId), 'invoice-acme-2026-11');
    expect(result).toMatchObject({ status: 'paid', amountDueMinor: 6134 });
    expect(result.failure).toBeUndefined();
    // The same key again (a retry after a lost answer) is the same invoice, not a second charge.
    const again = await gateway().issueInvoice(invoice(customerId), 'invoice-acme-2026-11');
    expect(again.invoiceId).toBe(result.invoiceId);
  });

  it('returns a decline as a result, and pays the invoice after a new card', async () => {
    const customerId = await newCustomer('declined');
    await saveCard(customerId, '4000000000000341');
    const declined = await gateway().issueInvoice(invoice(customerId), `invoice-declined-${Date.now()}`);
    expect(declined).toMatchObject({
      status: 'open',
      amountDueMinor: 6134,
      failure: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
    });
    await saveCard(customerId, '4242424242424242');
    const paid = await gateway().payInvoice(declined.invoiceId);
    expect(paid).toMatchObject({ invoiceId: declined.invoiceId, status: 'paid' });
  });

  it('reports a card that failed to save, and leaves a send_invoice invoice open with its page', async () => {
    const customerId = await newCustomer('sender');
    const { setupIntentId } = await gateway().createSetupIntent(customerId, `seti-fail-${Date.now()}`);
    const browser = stripeClient(hub.deps.config.payments.apiUrl, SANDBOX_STRIPE_KEYS.publishableKey);
    await expect(
      browser.setupIntents.confirm(setupIntentId, {
        client_secret: (
          await stripeClient(
            hub.deps.config.payments.apiUrl,
            SANDBOX_STRIPE_KEYS.secretKey,
          ).setupIntents.retrieve(setupIntentId)
        ).client_secret!,
        payment_method_data: {
          type: 'card',
          card: { number: '4000000000009995', exp_month: '1', exp_year: nextYear, cvc: '123' },
        },
      } as Stripe.SetupIntentConfirmParams),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(await gateway().setupIntentResult(setupIntentId)).toMatchObject({
      status: 'requires_payment_method',
      paymentMethodId: null,
      failure: { code: 'card_declined', declineCode: 'insufficient_funds' },
    });
    const sent = await gateway().issueInvoice(
      invoice(customerId, 'send_invoice'),
      `invoice-send-${Date.now()}`,
    );
    expect(sent).toMatchObject({ status: 'open', amountDueMinor: 6134 });
    const page = await fetch(sent.hostedInvoiceUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Channel fee');
  });

  it('throws a transient PaymentGatewayError when Stripe cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const offline = createPaymentGateway({
      ...hub.deps.config.payments,
      apiUrl: `http://127.0.0.1:${port}/sandbox/stripe`,
    })!;
    const err = await offline.createCustomer({ partnerId: 'p' }, 'offline-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentGatewayError);
    expect(err).toMatchObject({ status: null, isTransient: true });
  });

  it('throws a transient PaymentGatewayError on a 5xx, and a permanent one on a 404', async () => {
    const failing = createServer((_req, res) => {
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end('{"error":{"type":"api_error","message":"Down"}}');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    try {
      const down = createPaymentGateway({
        ...hub.deps.config.payments,
        apiUrl: `http://127.0.0.1:${(failing.address() as AddressInfo).port}`,
      })!;
      const err = await down.payInvoice('in_x').catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'PaymentGatewayError', status: 503, isTransient: true });
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
    const missing = await gateway()
      .paymentMethodSummary('pm_missing')
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 'resource_missing', isTransient: false });
  });

  it('verifies the webhooks the sandbox signs, and rejects a tampered body or an old timestamp', async () => {
    const customerId = await newCustomer('hooks');
    await saveCard(customerId, '4242424242424242');
    const { invoiceId } = await gateway().issueInvoice(invoice(customerId), `invoice-hooks-${Date.now()}`);
    const paid = await eventOfType('invoice.paid', invoiceId);
    const header = paid.headers['stripe-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = gateway().verifyWebhook(paid.body, header);
    expect(event).toMatchObject({
      type: 'invoice.paid',
      object: { id: invoiceId, status: 'paid', object: 'invoice' },
    });
    expect(event.id).toMatch(/^evt_/);
    // stripe-node itself accepts it too.
    const direct = Stripe.webhooks.constructEvent(paid.body, header, SANDBOX_STRIPE_KEYS.webhookSecret);
    expect(direct).toMatchObject({ object: 'event', livemode: false, api_version: '2026-11-18.endive' });

    const tampered = Buffer.from(paid.body.toString('utf8').replace('"paid"', '"void"'));
    expect(() => gateway().verifyWebhook(tampered, header)).toThrow(WebhookSignatureError);
    const old = stripeSignature(
      SANDBOX_STRIPE_KEYS.webhookSecret,
      paid.body.toString('utf8'),
      Math.floor(Date.now() / 1000) - 3600,
    );
    expect(() => gateway().verifyWebhook(paid.body, old)).toThrow(WebhookSignatureError);
    expect(() => gateway().verifyWebhook(paid.body, undefined)).toThrow(WebhookSignatureError);

    const finalized = await eventOfType('invoice.finalized', invoiceId);
    expect(
      gateway().verifyWebhook(finalized.body, finalized.headers['stripe-signature'] as string).type,
    ).toBe('invoice.finalized');
  });

  it('sends setup_intent.succeeded, setup_intent.setup_failed and invoice.payment_failed', async () => {
    const customerId = await newCustomer('events');
    await saveCard(customerId, '4000000000000341');
    const declined = await gateway().issueInvoice(invoice(customerId), `invoice-events-${Date.now()}`);
    await eventOfType('invoice.payment_failed', declined.invoiceId);
    const types = received.map((r) => JSON.parse(r.body.toString('utf8')).type as string);
    expect(types).toEqual(expect.arrayContaining(['setup_intent.succeeded', 'setup_intent.setup_failed']));
  });
});
