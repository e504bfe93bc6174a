/**
 * Billing's one view of the payment provider (Stripe). Domain shapes only: no Stripe types
 * leave this folder, so the rest of the hub never depends on the `stripe` package.
 *
 * Declines are results, not exceptions (`PaymentResult.failure`); anything else that goes wrong
 * throws `PaymentGatewayError` (`isTransient`: retry with the same idempotency key), and a bad
 * webhook signature throws `WebhookSignatureError`.
 */
export interface PaymentGateway {
  /** The key pages give to Stripe.js, and where they load it from. */
  readonly publishableKey: string;
  readonly jsUrl: string;
  createCustomer(input: NewCustomer, idempotencyKey: string): Promise<{ customerId: string }>;
  /** A card collected for later, off-session charges: its client secret goes to Stripe.js. */
  createSetupIntent(
    customerId: string,
    idempotencyKey: string,
  ): Promise<{ setupIntentId: string; clientSecret: string }>;
  setupIntentResult(setupIntentId: string): Promise<SetupIntentResult>;
  setDefaultPaymentMethod(customerId: string, paymentMethodId: string): Promise<void>;
  paymentMethodSummary(paymentMethodId: string): Promise<CardSummary>;
  /**
   * Items, invoice, finalize, and for `charge_automatically` the charge, all in one. The same key
   * again resumes or replays (a declined charge included): charge again with `payInvoice`.
   */
  issueInvoice(input: NewInvoice, idempotencyKey: string): Promise<PaymentResult>;
  /** Charges an open invoice again (after the customer gave a new card). */
  payInvoice(invoiceId: string): Promise<PaymentResult>;
  /** Checks `Stripe-Signature` over the exact bytes received; throws `WebhookSignatureError`. */
  verifyWebhook(rawBody: Buffer, signatureHeader: string | undefined): WebhookEvent;
}

export interface NewCustomer {
  clientId?: string;
  partnerId: string;
  email?: string;
  name?: string;
}

export type SetupIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'canceled'
  | 'succeeded';

export interface SetupIntentResult {
  status: SetupIntentStatus;
  customerId: string | null;
  paymentMethodId: string | null;
  /** Why the last attempt failed, when it did (`card_declined`, `setup_intent_authentication_failure`). */
  failure: PaymentFailure | null;
}

export interface CardSummary {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface NewInvoice {
  customerId: string;
  /** ISO 4217, lower or upper case. */
  currency: string;
  description: string;
  lines: { description: string; amountMinor: number }[];
  metadata: Record<string, string>;
  collection: 'charge_automatically' | 'send_invoice';
  /** For `send_invoice`: days the customer has to pay (default 30). */
  daysUntilDue?: number;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

export interface PaymentFailure {
  code: string;
  /** The issuer's reason, when it gave one (`insufficient_funds`). */
  declineCode?: string;
  message: string;
}

export interface PaymentResult {
  invoiceId: string;
  status: InvoiceStatus;
  amountDueMinor: number;
  hostedInvoiceUrl?: string;
  /** Set when a charge was attempted and declined; the invoice stays `open`. */
  failure?: PaymentFailure;
}

export interface WebhookEvent {
  id: string;
  type: string;
  /** `data.object` of the event, as Stripe sent it. */
  object: Record<string, unknown>;
}
