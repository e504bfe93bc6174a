import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { randomBase62 } from '../ids.ts';
import type { SandboxState } from '../state.ts';
import { stripeJsRoutes } from './assets.ts';
import { createStripeSandbox } from './context.ts';
import { controlRoutes } from './control.ts';
import { createCustomer, retrieveCustomer, updateCustomer } from './customers.ts';
import { endpoint } from './endpoint.ts';
import { stripeErrorHandler, stripeErrors } from './errors.ts';
import { createInvoiceItem } from './invoice-items.ts';
import { createInvoice, finalizeInvoice, payInvoice, retrieveInvoice } from './invoices.ts';
import { pageRoutes } from './pages.ts';
import { attachPaymentMethod, createPaymentMethod, retrievePaymentMethod } from './payment-methods.ts';
import { confirmSetupIntent, createSetupIntent, retrieveSetupIntent } from './setup-intents.ts';

/**
 * `/sandbox/stripe`: the part of Stripe's API the payment gateway uses, answering as Stripe does
 * (so the real `stripe` client works against it), a Stripe.js stand-in, the 3-D Secure step,
 * and signed webhooks to the hub. See docs/sandbox.md, "The Stripe sandbox".
 */
export function stripeSandboxRouter(state: SandboxState): Router {
  const sb = createStripeSandbox(state);
  const stripe = Router({ caseSensitive: true });
  // Stripe's bracket notation (`metadata[a]`, `lines[0][amount]`) needs the qs parser.
  const form = express.urlencoded({ extended: true, limit: '256kb', parameterLimit: 1000 });

  const v1 = Router({ caseSensitive: true });
  // Stripe.js calls the API from the page's origin.
  v1.use((req: Request, res: Response, next: NextFunction) => {
    res.set({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key, Stripe-Version',
      'Access-Control-Allow-Methods': 'GET, POST, DELETE',
      'Cache-Control': 'no-cache, no-store',
      'Request-Id': `req_${randomBase62(14)}`,
      'Stripe-Version': req.get('Stripe-Version') ?? '',
    });
    if (req.method === 'OPTIONS') return void res.sendStatus(204);
    next();
  });
  v1.use(form);
  v1.post('/customers', endpoint(sb, 'secret', createCustomer(sb)));
  v1.get('/customers/:id', endpoint(sb, 'secret', retrieveCustomer(sb)));
  v1.post('/customers/:id', endpoint(sb, 'secret', updateCustomer(sb)));
  v1.post('/setup_intents', endpoint(sb, 'secret', createSetupIntent(sb)));
  v1.get('/setup_intents/:id', endpoint(sb, 'publishable', retrieveSetupIntent(sb)));
  v1.post('/setup_intents/:id/confirm', endpoint(sb, 'publishable', confirmSetupIntent(sb)));
  v1.post('/payment_methods', endpoint(sb, 'publishable', createPaymentMethod(sb)));
  v1.get('/payment_methods/:id', endpoint(sb, 'secret', retrievePaymentMethod(sb)));
  v1.post('/payment_methods/:id/attach', endpoint(sb, 'secret', attachPaymentMethod(sb)));
  v1.post('/invoiceitems', endpoint(sb, 'secret', createInvoiceItem(sb)));
  v1.post('/invoices', endpoint(sb, 'secret', createInvoice(sb)));
  v1.get('/invoices/:id', endpoint(sb, 'secret', retrieveInvoice(sb)));
  v1.post('/invoices/:id/finalize', endpoint(sb, 'secret', finalizeInvoice(sb)));
  v1.post('/invoices/:id/pay', endpoint(sb, 'secret', payInvoice(sb)));
  v1.use((req: Request) => {
    throw stripeErrors.unrecognizedUrl(req.method, `/v1${req.path}`);
  });

  stripe.use('/v1', v1);
  stripe.use('/control', form, controlRoutes(sb));
  stripe.use(stripeJsRoutes());
  stripe.use(form, pageRoutes(sb));
  stripe.use(stripeErrorHandler(state.deps.logger));
  return stripe;
}
