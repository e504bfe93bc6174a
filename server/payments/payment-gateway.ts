import type { PaymentsConfig } from '../config/env.ts';
import type { PaymentGateway } from './payment-types.ts';
import { StripeGateway } from './stripe-gateway.ts';

export { PaymentGatewayError, WebhookSignatureError } from './payment-error.ts';
export type {
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

/** The gateway for this config, or undefined when billing is not configured (production without keys). */
export function createPaymentGateway(config: PaymentsConfig): PaymentGateway | undefined {
  const { secretKey, publishableKey, webhookSecret } = config;
  if (!secretKey || !publishableKey || !webhookSecret) return undefined;
  return new StripeGateway({
    apiUrl: config.apiUrl,
    jsUrl: config.jsUrl,
    secretKey,
    publishableKey,
    webhookSecret,
  });
}
