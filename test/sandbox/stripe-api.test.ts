import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { SANDBOX_STRIPE_KEYS } from '../../server/config/env.ts';
import { stripeClient } from '../../server/payments/stripe-client.ts';
import { useTestHub } from '../support/hub.ts';

const hub = useTestHub({}, { listen: true });

const apiUrl = () => `${hub.url}/sandbox/stripe`;
const secret = () => stripeClient(apiUrl(), SANDBOX_STRIPE_KEYS.secretKey, { maxNetworkRetries: 0 });
/** What Stripe.js does in the browser: publishable key plus the intent's client secret. */
const browser = () => stripeClient(apiUrl(), SANDBOX_STRIPE_KEYS.publishableKey, { maxNetworkRetries: 0 });

const nextYear = new Date().getUTCFullYear() + 1;
const card = (number: string) => ({ number, exp_month: '12', exp_year: String(nextYear), cvc: '123' });

/** Stripe.js's confirm: the client secret and raw card data, which stripe-node's types leave out. */
function browserConfirm(intent: Stripe.SetupIntent, params: Record<string, unknown>) {
  return browser().setupIntents.confirm(intent.id, {
    client_secret: intent.client_secret!,
    ...params,
  } as Stripe.SetupIntentConfirmParams);
}

async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Stripe.errors.StripeError);
  return err as Stripe.errors.StripeError;
}

async function customerWithIntent() {
  const customer = await secret().customers.create({
    email: 'billing@example.com',
    metadata: { partner_id: 'p1' },
  });
  const intent = await secret().setupIntents.create({
    customer: customer.id,
    usage: 'off_session',
    allowed_payment_method_types: ['card'],
  });
  return { customer, intent };
}

async function confirmWith(number: string) {
  const { customer, intent } = await customerWithIntent();
  const confirm = browserConfirm(intent, { payment_method_data: { type: 'card', card: card(number) } });
  return { customer, intent, confirm };
}

/** A customer whose default card is `number` (saved through a SetupIntent). */
async function customerWithCard(number: string) {
  const { customer, confirm } = await confirmWith(number);
  const intent = await confirm;
  await secret().customers.update(customer.id, {
    invoice_settings: { default_payment_method: intent.payment_method as string },
  });
  return { customer, paymentMethod: intent.payment_method as string };
}

async function openInvoice(customer: string, amounts: number[]) {
  const draft = await secret().invoices.create({
    customer,
    currency: 'eur',
    description: 'WhatsApp conversations, November',
    metadata: { period: '2026-11' },
    auto_advance: false,
    pending_invoice_items_behavior: 'exclude',
  });
  for (const [i, amount] of amounts.entries()) {
    await secret().invoiceItems.create({
      customer,
      invoice: draft.id,
      currency: 'eur',
      amount,
      description: `Line ${i}`,
    });
  }
  return secret().invoices.finalizeInvoice(draft.id, { auto_advance: false });
}

describe('the Stripe sandbox API, through the stripe npm client', () => {
  it('creates, retrieves and updates a customer in Stripe shapes', async () => {
    const created = await secret().customers.create({
      email: 'a@example.com',
      name: 'Acme',
      metadata: { client_id: 'c1' },
    });
    expect(created).toMatchObject({
      object: 'customer',
      livemode: false,
      email: 'a@example.com',
      name: 'Acme',
    });
    expect(created.id).toMatch(/^cus_\w{24}$/);
    expect(created.created).toBeTypeOf('number');
    const updated = await secret().customers.update(created.id, {
      metadata: { client_id: '', tier: 'gold' },
    });
    expect(updated.metadata).toEqual({ tier: 'gold' });
    expect((await secret().customers.retrieve(created.id)) as Stripe.Customer).toMatchObject({
      name: 'Acme',
    });
  });

  it('saves a card with 4242424242424242 and makes it the default', async () => {
    const { customer, paymentMethod } = await customerWithCard('4242424242424242');
    const method = await secret().paymentMethods.retrieve(paymentMethod);
    expect(method).toMatchObject({ object: 'payment_method', type: 'card', customer: customer.id });
    expect(method.card).toMatchObject({ brand: 'visa', last4: '4242', exp_month: 12, exp_year: nextYear });
    expect(JSON.stringify(method)).not.toContain('4242424242424242');
    const after = (await secret().customers.retrieve(customer.id)) as Stripe.Customer;
    expect(after.invoice_settings.default_payment_method).toBe(paymentMethod);
  });

  it.each([
    ['4000000000000002', 'generic_decline'],
    ['4000000000009995', 'insufficient_funds'],
  ])('declines saving %s (%s) with a card error, and the intent records it', async (number, declineCode) => {
    const { intent, confirm } = await confirmWith(number);
    const err = await rejection(confirm);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: declineCode });
    const after = await secret().setupIntents.retrieve(intent.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_setup_error).toMatchObject({ code: 'card_declined', decline_code: declineCode });
  });

  it('asks 4000002500003155 for 3-D Secure, then succeeds when it is completed', async () => {
    const { customer, intent, confirm } = await confirmWith('4000002500003155');
    const pending = await confirm;
    expect(pending.status).toBe('requires_action');
    const url = pending.next_action?.redirect_to_url?.url;
    expect(url).toContain(`/sandbox/stripe/3ds/${intent.id}`);
    const page = await fetch(url!);
    expect(await page.text()).toContain('Complete authentication');
    const done = await fetch(`${apiUrl()}/3ds/${intent.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_secret: intent.client_secret!, outcome: 'complete' }),
    });
    expect(await done.json()).toMatchObject({ status: 'succeeded' });
    const after = await secret().setupIntents.retrieve(intent.id);
    expect(after.status).toBe('succeeded');
    expect((await secret().paymentMethods.retrieve(after.payment_method as string)).customer).toBe(
      customer.id,
    );
  });

  it('sends a failed 3-D Secure back to requires_payment_method, and redirects to return_url', async () => {
    const { intent } = await customerWithIntent();
    await browserConfirm(intent, {
      payment_method_data: { type: 'card', card: card('4000002500003155') },
      return_url: 'https://hub.example/billing/done',
    });
    const res = await fetch(`${apiUrl()}/3ds/${intent.id}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_secret: intent.client_secret!,
        outcome: 'fail',
        return_url: 'https://hub.example/billing/done',
      }),
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://hub.example/billing/done');
    expect(location.searchParams.get('redirect_status')).toBe('failed');
    const after = await secret().setupIntents.retrieve(intent.id);
    expect(after).toMatchObject({ status: 'requires_payment_method', payment_method: null });
    expect(after.last_setup_error?.code).toBe('setup_intent_authentication_failure');
  });

  it('refuses a card number that is not a test card, an expiry in the past and a short CVC', async () => {
    const { intent } = await customerWithIntent();
    const confirm = (c: Record<string, string>) =>
      browserConfirm(intent, { payment_method_data: { type: 'card', card: c } });
    expect(await rejection(confirm(card('4111111111111112')))).toMatchObject({
      statusCode: 402,
      code: 'incorrect_number',
    });
    expect(await rejection(confirm({ ...card('4242424242424242'), exp_year: '2001' }))).toMatchObject({
      code: 'invalid_expiry_year',
      param: 'payment_method_data[card][exp_year]',
    });
    expect(await rejection(confirm({ ...card('4242424242424242'), cvc: '12' }))).toMatchObject({
      code: 'invalid_cvc',
    });
  });

  it('issues an invoice with lines, finalizes it and charges the default card', async () => {
    const { customer } = await customerWithCard('4242424242424242');
    const open = await openInvoice(customer.id, [1200, 300]);
    expect(open).toMatchObject({ object: 'invoice', status: 'open', amount_due: 1500, currency: 'eur' });
    expect(open.id).toMatch(/^in_/);
    expect(open.lines.data.map((line) => line.amount)).toEqual([1200, 300]);
    expect(open.hosted_invoice_url).toContain(`/sandbox/stripe/invoices/${open.id}`);
    const paid = await secret().invoices.pay(open.id, { off_session: true });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 1500, amount_remaining: 0 });
    expect((await secret().invoices.retrieve(open.id)).status).toBe('paid');
  });

  it('saves 4000000000000341 but declines every charge on it', async () => {
    const { customer } = await customerWithCard('4000000000000341');
    const open = await openInvoice(customer.id, [999]);
    const err = await rejection(secret().invoices.pay(open.id));
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
    expect(await secret().invoices.retrieve(open.id)).toMatchObject({
      status: 'open',
      attempt_count: 1,
      attempted: true,
    });
  });

  it('makes a saved card start declining through the control API', async () => {
    const { customer, paymentMethod } = await customerWithCard('4242424242424242');
    const res = await fetch(`${apiUrl()}/control/payment_methods/${paymentMethod}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SANDBOX_STRIPE_KEYS.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'charge_outcome=insufficient_funds',
    });
    expect(res.status).toBe(200);
    const open = await openInvoice(customer.id, [500]);
    expect(await rejection(secret().invoices.pay(open.id))).toMatchObject({
      decline_code: 'insufficient_funds',
    });
    const events = await fetch(`${apiUrl()}/control/events?type=invoice.payment_failed&limit=1`, {
      headers: { authorization: `Bearer ${SANDBOX_STRIPE_KEYS.secretKey}` },
    });
    const list = (await events.json()) as {
      data: { type: string; payload: { data: { object: { id: string } } } }[];
    };
    expect(list.data[0]).toMatchObject({
      type: 'invoice.payment_failed',
      payload: { data: { object: { id: open.id } } },
    });
    expect(JSON.stringify(list)).not.toContain('_behaviour');
  });

  it('replays an idempotent request, and refuses the key with other parameters', async () => {
    const key = `test-${Date.now()}`;
    const first = await secret().customers.create({ email: 'same@example.com' }, { idempotencyKey: key });
    const again = await secret().customers.create({ email: 'same@example.com' }, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    const err = await rejection(
      secret().customers.create({ email: 'other@example.com' }, { idempotencyKey: key }),
    );
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('refuses calls without a key, with a wrong key, and secret-only calls with the publishable key', async () => {
    const bare = await fetch(`${apiUrl()}/v1/customers`, { method: 'POST' });
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const wrong = stripeClient(apiUrl(), 'sk_test_wrong_key_entirely', { maxNetworkRetries: 0 });
    expect(await rejection(wrong.customers.create({}))).toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    const pk = await rejection(browser().customers.create({}));
    expect(pk).toMatchObject({ statusCode: 401, code: 'secret_key_required' });
    const { intent } = await customerWithIntent();
    const noSecret = await rejection(browser().setupIntents.retrieve(intent.id));
    expect(noSecret).toMatchObject({ statusCode: 400, param: 'client_secret' });
    const withSecret = await browser().setupIntents.retrieve(intent.id, {
      client_secret: intent.client_secret!,
    });
    expect(withSecret.id).toBe(intent.id);
  });

  it('answers 404 resource_missing for unknown ids and unknown URLs', async () => {
    const err = await rejection(secret().customers.retrieve('cus_doesnotexist'));
    expect(err).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
    expect(await rejection(secret().invoices.pay('in_nothing'))).toMatchObject({ statusCode: 404 });
    const url = await fetch(`${apiUrl()}/v1/charges`, {
      headers: { authorization: `Bearer ${SANDBOX_STRIPE_KEYS.secretKey}` },
    });
    expect(url.status).toBe(404);
  });

  it('answers 400 naming the parameter for missing, malformed and unknown parameters', async () => {
    const { customer } = await customerWithIntent();
    const missing = await rejection(
      secret().invoiceItems.create({ customer: customer.id, currency: 'eur' } as never),
    );
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'amount' });
    const integer = await rejection(
      secret().invoiceItems.create({ customer: customer.id, currency: 'eur', amount: 'ten' } as never),
    );
    expect(integer).toMatchObject({ code: 'parameter_invalid_integer', param: 'amount' });
    const unknown = await rejection(secret().customers.create({ colour: 'blue' } as never));
    expect(unknown).toMatchObject({ code: 'parameter_unknown', param: 'colour' });
    const noCustomer = await rejection(secret().invoices.create({ customer: 'cus_ghost' }));
    expect(noCustomer).toMatchObject({ statusCode: 404, param: 'customer' });
  });
});
