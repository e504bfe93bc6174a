/**
 * A Stripe call that failed for a reason other than a card decline (declines are results, see
 * `PaymentResult`). `status` null: no answer at all (network, timeout).
 */
export class PaymentGatewayError extends Error {
  override name = 'PaymentGatewayError';
  readonly status: number | null;
  /** Stripe's error code when it gave one (`resource_missing`, `parameter_missing`, …). */
  readonly code: string | undefined;

  constructor(message: string, status: number | null, code?: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** Worth another try with the same idempotency key: no answer, a 5xx, a lock timeout or a rate limit. */
  get isTransient(): boolean {
    return this.status === null || this.status >= 500 || this.status === 409 || this.status === 429;
  }
}

/** A webhook whose `Stripe-Signature` does not check out (or is missing, or too old): answer 400. */
export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}
