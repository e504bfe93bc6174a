import Stripe from 'stripe';
import { PaymentGatewayError, WebhookSignatureError } from './payment-error.ts';
import type {
  CardSummary,
  InvoiceStatus,
  NewCustomer,
  NewInvoice,
  PaymentFailure,
  PaymentGateway,
  PaymentResult,
  SetupIntentResult,
  SetupIntentStatus,
  WebhookEvent,
} from './payment-types.ts';
import { type StripeClientOptions, stripeClient } from './stripe-client.ts';

export interface StripeGatewayOptions {
  apiUrl: string;
  jsUrl: string;
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
}

/** The `PaymentGateway` on Stripe (or the sandbox's emulation of it, which differs only in `apiUrl`). */
export class StripeGateway implements PaymentGateway {
  readonly publishableKey: string;
  readonly jsUrl: string;
  readonly #stripe: Stripe;
  readonly #webhookSecret: string;

  constructor(options: StripeGatewayOptions, client: StripeClientOptions = {}) {
    this.publishableKey = options.publishableKey;
    this.jsUrl = options.jsUrl;
    this.#stripe = stripeClient(options.apiUrl, options.secretKey, client);
    this.#webhookSecret = options.webhookSecret;
  }

  async createCustomer(input: NewCustomer, idempotencyKey: string): Promise<{ customerId: string }> {
    const metadata: Record<string, string> = { partner_id: input.partnerId };
    if (input.clientId) metadata.client_id = input.clientId;
    const customer = await call(() =>
      this.#stripe.customers.create({ email: input.email, name: input.name, metadata }, { idempotencyKey }),
    );
    return { customerId: customer.id };
  }

  async createSetupIntent(customerId: string, idempotencyKey: string) {
    const intent = await call(() =>
      this.#stripe.setupIntents.create(
        // `allowed_payment_method_types` is what API versions from 2026 call `payment_method_types`.
        { customer: customerId, usage: 'off_session', allowed_payment_method_types: ['card'] },
        { idempotencyKey },
      ),
    );
    return { setupIntentId: intent.id, clientSecret: intent.client_secret! };
  }

  async setupIntentResult(setupIntentId: string): Promise<SetupIntentResult> {
    const intent = await call(() => this.#stripe.setupIntents.retrieve(setupIntentId));
    const error = intent.last_setup_error;
    return {
      status: intent.status as SetupIntentStatus,
      customerId: idOf(intent.customer),
      paymentMethodId: idOf(intent.payment_method),
      failure: error ? failureOf(error) : null,
    };
  }

  async setDefaultPaymentMethod(customerId: string, paymentMethodId: string): Promise<void> {
    await call(() =>
      this.#stripe.customers.update(customerId, {
        invoice_settings: { default_payment_method: paymentMethodId },
      }),
    );
  }

  async paymentMethodSummary(paymentMethodId: string): Promise<CardSummary> {
    const method = await call(() => this.#stripe.paymentMethods.retrieve(paymentMethodId));
    if (!method.card) throw new PaymentGatewayError(`${paymentMethodId} is not a card`, 400, 'not_a_card');
    const { brand, last4, exp_month, exp_year } = method.card;
    return { brand, last4, expMonth: exp_month, expYear: exp_year };
  }

  /**
   * Each step has its own key derived from the caller's, so calling again with the same key after
   * a failure resumes where it stopped instead of creating a second invoice or charging twice.
   */
  async issueInvoice(input: NewInvoice, idempotencyKey: string): Promise<PaymentResult> {
    const currency = input.currency.toLowerCase();
    const sendInvoice = input.collection === 'send_invoice';
    const draft = await call(() =>
      this.#stripe.invoices.create(
        {
          customer: input.customerId,
          currency,
          description: input.description,
          metadata: input.metadata,
          collection_method: input.collection,
          ...(sendInvoice ? { days_until_due: input.daysUntilDue ?? 30 } : {}),
          // The hub decides when to charge and retry; Stripe's own dunning would charge behind its back.
          auto_advance: false,
          pending_invoice_items_behavior: 'exclude',
        },
        { idempotencyKey: `${idempotencyKey}:invoice` },
      ),
    );
    for (const [i, line] of input.lines.entries()) {
      await call(() =>
        this.#stripe.invoiceItems.create(
          {
            customer: input.customerId,
            invoice: draft.id!,
            currency,
            amount: line.amountMinor,
            description: line.description,
          },
          { idempotencyKey: `${idempotencyKey}:line:${i}` },
        ),
      );
    }
    const invoice = await call(() =>
      this.#stripe.invoices.finalizeInvoice(
        draft.id!,
        { auto_advance: false },
        { idempotencyKey: `${idempotencyKey}:finalize` },
      ),
    );
    if (sendInvoice || invoice.status !== 'open') return resultOf(invoice);
    return this.#pay(invoice.id!, `${idempotencyKey}:pay`);
  }

  payInvoice(invoiceId: string): Promise<PaymentResult> {
    return this.#pay(invoiceId, undefined);
  }

  async #pay(invoiceId: string, idempotencyKey: string | undefined): Promise<PaymentResult> {
    try {
      const paid = await this.#stripe.invoices.pay(
        invoiceId,
        { off_session: true },
        idempotencyKey ? { idempotencyKey } : undefined,
      );
      return resultOf(paid);
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeCardError)) throw toGatewayError(err);
      // A decline leaves the invoice open; what the customer owes is read back, not assumed.
      const invoice = await call(() => this.#stripe.invoices.retrieve(invoiceId));
      // stripe-node puts the request id in front of `message`; the raw one is what the customer may read.
      const raw = err.raw as { message?: string };
      return { ...resultOf(invoice), failure: failureOf({ ...err, message: raw.message ?? err.message }) };
    }
  }

  verifyWebhook(rawBody: Buffer, signatureHeader: string | undefined): WebhookEvent {
    if (!signatureHeader) throw new WebhookSignatureError('No Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.#stripe.webhooks.constructEvent(rawBody, signatureHeader, this.#webhookSecret);
    } catch (err) {
      throw new WebhookSignatureError(err instanceof Error ? err.message : 'Webhook signature check failed');
    }
    return {
      id: event.id,
      type: event.type,
      object: event.data.object as unknown as Record<string, unknown>,
    };
  }
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toGatewayError(err);
  }
}

function toGatewayError(err: unknown): Error {
  if (err instanceof Stripe.errors.StripeConnectionError) {
    return new PaymentGatewayError(`Stripe did not answer: ${err.message}`, null);
  }
  if (err instanceof Stripe.errors.StripeError) {
    return new PaymentGatewayError(err.message, err.statusCode ?? null, err.code);
  }
  return err instanceof Error ? err : new Error(String(err));
}

function failureOf(err: { code?: string | null; decline_code?: string | null; message?: string | null }) {
  const failure: PaymentFailure = {
    code: err.code ?? 'card_declined',
    message: err.message ?? 'Card declined',
  };
  if (err.decline_code) failure.declineCode = err.decline_code;
  return failure;
}

function resultOf(invoice: Stripe.Invoice): PaymentResult {
  const result: PaymentResult = {
    invoiceId: invoice.id!,
    status: (invoice.status ?? 'draft') as InvoiceStatus,
    amountDueMinor: invoice.amount_due,
  };
  if (invoice.hosted_invoice_url) result.hostedInvoiceUrl = invoice.hosted_invoice_url;
  return result;
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}
