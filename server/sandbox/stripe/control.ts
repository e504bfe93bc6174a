import { Router } from 'express';
import type { StripeSandbox } from './context.ts';
import { endpoint } from './endpoint.ts';
import { allowOnly, optionalInteger, optionalString } from './params.ts';
import { setChargeOutcome } from './payment-methods.ts';
import { listEvents } from './webhooks.ts';

/** `/sandbox/stripe/control/…`: things Stripe's dashboard or a bank would do, behind the secret key. */
export function controlRoutes(sb: StripeSandbox): Router {
  const control = Router({ caseSensitive: true });
  control.post('/payment_methods/:id', endpoint(sb, 'secret', setChargeOutcome(sb)));
  control.get(
    '/events',
    endpoint(sb, 'secret', async ({ params }) => {
      allowOnly(params, ['type', 'limit']);
      const limit = Math.min(100, Math.max(1, optionalInteger(params, 'limit') ?? 20));
      const events = await listEvents(sb.state.query, optionalString(params, 'type'), limit);
      return { object: 'list', data: events, has_more: false, url: '/control/events' };
    }),
  );
  return control;
}
