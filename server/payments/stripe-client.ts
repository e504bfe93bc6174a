import Stripe from 'stripe';

/**
 * The Stripe API version the adapter is written against. Pinned so that an upgrade of the
 * `stripe` package never changes the shapes we read without us noticing.
 */
export const STRIPE_API_VERSION = '2026-11-18.endive';

export interface StripeClientOptions {
  timeoutMs?: number;
  /** stripe-node's own retries of connection failures and 409/5xx, with the same idempotency key. */
  maxNetworkRetries?: number;
}

/**
 * A stripe-node client for `apiUrl`: `https://api.stripe.com`, or an origin with a path such
 * as the sandbox's `http://localhost:8082/sandbox/stripe`. stripe-node only takes a host, port
 * and protocol and always requests `/v1/…`, so the path is put in front by a thin HTTP client.
 */
export function stripeClient(apiUrl: string, key: string, options: StripeClientOptions = {}): Stripe {
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const prefix = url.pathname.replace(/\/+$/, '');
  const inner = Stripe.createNodeHttpClient();
  const httpClient: Stripe.HttpClient = {
    getClientName: () => inner.getClientName(),
    makeRequest: (host, port, path, method, headers, body, proto, timeout) =>
      inner.makeRequest(host, port, `${prefix}${path}`, method, headers, body, proto, timeout),
  };
  return new Stripe(key, {
    apiVersion: STRIPE_API_VERSION,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
    httpClient,
    timeout: options.timeoutMs ?? 20_000,
    maxNetworkRetries: options.maxNetworkRetries ?? 1,
    telemetry: false,
    appInfo: { name: 'partner-hub' },
  });
}
