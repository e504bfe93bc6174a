import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { PriceListInputSchema } from '../../shared/schemas/billing.ts';
import { safeString } from '../../shared/schemas/safe-text.ts';
import { PAYMENT_MODELS } from '../../shared/statuses.ts';
import { withAuthFailureBudget } from '../auth/auth-failure-budget.ts';
import { sameSecret } from '../crypto/same-secret.ts';
import { AppError } from '../errors.ts';
import { requestMetaOf } from '../http/request-meta.ts';
import type { Hub } from '../hub.ts';
import type { Actor } from '../modules/audit/actor.ts';
import { setPaymentModel } from '../modules/billing/payment-model.service.ts';
import {
  priceListInForce,
  publishPriceList,
  toPriceListView,
} from '../modules/billing/price-lists.service.ts';
import { issueStatements } from '../modules/billing/statements.service.ts';
import { publishTerms, termsInForce, toTermsView } from '../modules/billing/terms.service.ts';
import { getPartner } from '../modules/partners/partners.service.ts';

const PaymentModelSchema = z.strictObject({ payment_model: z.enum(PAYMENT_MODELS) });
const TermsSchema = z.strictObject({
  url: safeString().min(1).max(2048),
  effective_at: z.iso.datetime().optional(),
});
const IssueSchema = z.strictObject({
  period: safeString().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, YYYY-MM'),
});

/**
 * `/api/operator/v1`: what the `billing` CLI does, over HTTP for the business provider's own
 * tools, behind `Authorization: Bearer <OPERATOR_TOKEN>`. Without the token configured it does
 * not exist (404). A wrong token counts against the caller's address like any failed login.
 */
export function operatorRouter(deps: Hub): Router {
  const router = Router({ caseSensitive: true });
  const token = deps.config.operatorToken;
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (token === undefined)
      return next(new AppError('not_found', `No route ${req.method} /api/operator${req.path}`));
    withAuthFailureBudget(
      { limits: deps.rateLimits, ip: req.ip, setHeaders: (h) => res.set(h) },
      async () => {
        const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
        if (presented === undefined || !sameSecret(presented, token)) {
          throw new AppError('unauthorized', 'The operator API needs Authorization: Bearer <OPERATOR_TOKEN>');
        }
      },
    ).then(() => next(), next);
  });
  router.use(express.json({ limit: '1mb' }));
  const actor = (req: Request): Actor => ({
    type: 'operator',
    id: 'api:operator-token',
    ...requestMetaOf(req),
  });

  router.get('/v1/billing', async (_req, res) => {
    const em = deps.orm.em.fork();
    const now = deps.clock.now();
    const [terms, list] = await Promise.all([termsInForce(em, now), priceListInForce(em.fork(), now)]);
    res.json({ terms: terms && toTermsView(terms), price_list: list && toPriceListView(list) });
  });

  router.put('/v1/partners/:partner_id/payment_model', async (req: Request<{ partner_id: string }>, res) => {
    const { payment_model } = PaymentModelSchema.parse(req.body);
    const em = deps.orm.em.fork();
    const partner = await getPartner(em, req.params.partner_id);
    const changed = await setPaymentModel(em, deps.clock, partner, payment_model, actor(req));
    res.json({ partner_id: partner.id, payment_model, changed });
  });

  router.post('/v1/terms', async (req, res) => {
    const input = TermsSchema.parse(req.body);
    const terms = await publishTerms(
      deps.orm.em.fork(),
      deps,
      { url: input.url, effectiveAt: input.effective_at ? new Date(input.effective_at) : undefined },
      actor(req),
    );
    res.status(201).json(toTermsView(terms));
  });

  router.post('/v1/price_lists', async (req, res) => {
    const input = PriceListInputSchema.parse(req.body);
    res
      .status(201)
      .json(toPriceListView(await publishPriceList(deps.orm.em.fork(), deps.clock, input, actor(req))));
  });

  router.post('/v1/statements/issue', async (req, res) => {
    const { period } = IssueSchema.parse(req.body);
    res.json(await issueStatements(deps.orm.em.fork(), deps.clock, period));
  });

  router.use((req: Request) => {
    throw new AppError('not_found', `No route ${req.method} /api/operator${req.path}`);
  });
  return router;
}
