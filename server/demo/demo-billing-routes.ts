import { Router } from 'express';
import { z } from 'zod';
import type { PartnerHubClient } from '../../client/src/sdk.ts';
import { PAYMENT_MODELS } from '../../shared/statuses.ts';
import type { Hub } from '../hub.ts';
import { setPaymentModel } from '../modules/billing/payment-model.service.ts';
import { issueStatements } from '../modules/billing/statements.service.ts';
import { Partner } from '../modules/partners/partner.entity.ts';
import { demoTermsPage } from './demo-billing-pages.ts';
import type { FeedKind } from './demo-channel-routes.ts';
import type { DemoPartner } from './demo-partner.ts';
import { DEMO_ACTOR, ensureDemoPrices } from './demo-prices.ts';

const PaymentModelSchema = z.strictObject({ payment_model: z.enum(PAYMENT_MODELS) });

/** The month a statement issued now bills: the hub clock's UTC month, `YYYY-MM`. */
export const currentPeriod = (now: Date): string => now.toISOString().slice(0, 7);

/**
 * The demo's billing: here the page plays the hub's operator too (who decides the payment
 * model and publishes prices) and the monthly cron (which issues statements), so that Direct
 * Payment can be tried end to end. What the partner sees comes over the public API.
 */
export function demoBillingRoutes(
  deps: Hub,
  ctx: {
    demo: () => Promise<DemoPartner>;
    sdk: () => Promise<PartnerHubClient>;
    log: (kind: FeedKind, title: string, detail: unknown) => void;
  },
): Router {
  const router = Router({ caseSensitive: true });

  // The terms the demo publishes point here: a hub's /demo page, not a provider's legal text.
  router.get('/demo/terms', (_req, res) => {
    res.send(demoTermsPage());
  });

  /** What the partner sees of billing: its model, the versions in force, its newest statements. */
  async function billingState() {
    const { api } = (await ctx.sdk()).rest;
    const [billing, { statements }] = await Promise.all([
      api.billing.get({}),
      api.billing.statements.list({ limit: 10 }),
    ]);
    return { ...billing, period: currentPeriod(deps.clock.now()), statements };
  }

  router.get('/demo/api/billing', async (_req, res) => {
    res.json(await billingState());
  });

  router.post('/demo/api/payment-model', async (req, res) => {
    const { payment_model } = PaymentModelSchema.parse(req.body);
    const { id } = await ctx.demo();
    // Prices first: a direct-paid partner without them would show its clients "not set up yet".
    const prices = payment_model === 'direct' ? await ensureDemoPrices(deps) : null;
    const em = deps.orm.em.fork();
    const changed = await setPaymentModel(
      em,
      deps.clock,
      await em.findOneOrFail(Partner, id),
      payment_model,
      DEMO_ACTOR,
    );
    ctx.log(
      'step',
      `${payment_model === 'direct' ? 'Direct Payment' : 'Partner Payment'}${changed ? '' : ' (unchanged)'}: the operator set the demo partner's payment model`,
      { payment_model, prices },
    );
    res.json({ changed, prices, billing: await billingState() });
  });

  // What the monthly cron does on the 1st for last month, done now for this month and only for
  // the demo partner: its month is then billed, and later traffic this month is not on it.
  router.post('/demo/api/statements', async (_req, res) => {
    const { id } = await ctx.demo();
    const period = currentPeriod(deps.clock.now());
    const result = await issueStatements(deps.orm.em.fork(), deps.clock, period, { partnerId: id });
    const { statements } = await (await ctx.sdk()).rest.api.billing.statements.list({ period });
    ctx.log(
      result.skipped.length ? 'error' : 'step',
      `Statements of ${period} issued: ${statements.length}`,
      {
        ...result,
        statements: statements.map((s) => ({
          id: s.id,
          total: s.total,
          currency: s.currency,
          status: s.status,
        })),
      },
    );
    // `issued` counts the month's statements, including those issued before.
    res.json({ period, ...result, statements });
  });

  return router;
}
