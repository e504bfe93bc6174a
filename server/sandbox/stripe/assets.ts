import { readFileSync } from 'node:fs';
import { Router } from 'express';

/**
 * The Stripe.js stand-in, at `/sandbox/stripe/js/v3` as Stripe serves `https://js.stripe.com/v3`.
 * Pages on other origins load it, so it opts out of helmet's same-origin resource policy.
 */
export function stripeJsRoutes(): Router {
  const script = readFileSync(new URL('./assets/stripe-js.js', import.meta.url), 'utf8');
  const routes = Router({ caseSensitive: true });
  routes.get(['/js/v3', '/js/v3/'], (_req, res) => {
    res
      .set({
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': 'no-cache',
      })
      .type('application/javascript')
      .send(script);
  });
  return routes;
}
