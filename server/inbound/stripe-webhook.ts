import express, { type Request, type Response, Router } from 'express';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import { applyPaymentEvent } from '../modules/billing/payment-events.service.ts';
import { WebhookSignatureError } from '../payments/payment-error.ts';

/**
 * Stripe's (or the Stripe sandbox's) webhook: `Stripe-Signature` is checked over the exact
 * bytes before anything is read; invoice outcomes settle the statements they belong to. A 2xx
 * only after the change committed, so Stripe retries anything the hub did not record.
 */
export function stripeWebhookRoutes(deps: Hub): Router {
  const router = Router({ caseSensitive: true });
  router.post(
    '/stripe/webhook',
    express.raw({ type: () => true, limit: '512kb' }),
    async (req: Request, res: Response) => {
      if (!deps.payments) throw new AppError('not_found', 'Billing is not configured on this hub');
      let event: ReturnType<NonNullable<Hub['payments']>['verifyWebhook']>;
      try {
        event = deps.payments.verifyWebhook(
          Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          req.get('stripe-signature'),
        );
      } catch (err) {
        if (err instanceof WebhookSignatureError)
          throw new AppError('unauthorized', 'The Stripe-Signature header does not match this body');
        throw err;
      }
      const outcome = await applyPaymentEvent(
        deps.orm.em.fork(),
        { clock: deps.clock, graceMs: deps.config.billing.graceMs },
        event,
      );
      res.json({ received: true, outcome });
    },
  );
  return router;
}
