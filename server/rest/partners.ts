import { Router } from 'express';
import { toPartnerView } from '../modules/partners/partner-view.ts';
import './locals.ts';

/** `/api/v2/partners/{partner_id}`: 360dialog's Partner API paths. */
export function partnerRoutes(): Router {
  const routes = Router({ mergeParams: true });
  routes.get('/', (_req, res) => {
    res.json(toPartnerView(res.locals.partner));
  });
  return routes;
}
