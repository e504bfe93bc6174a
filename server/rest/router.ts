import express, { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { requireOwnPartnerId, requirePartner } from './partner-auth.ts';
import { partnerRoutes } from './partners.ts';
import './locals.ts';

/** The REST API under `/api/v2`: snake_case JSON, 360dialog-compatible paths. */
export function restRouter(deps: AppDeps): Router {
  const api = Router();
  api.use(express.json({ limit: '256kb', strict: false }));
  api.use((_req, res, next) => {
    res.locals.em = deps.orm.em.fork();
    next();
  });
  api.use('/partners/:partner_id', requirePartner(deps), requireOwnPartnerId, partnerRoutes());
  api.use((req) => {
    throw new AppError('not_found', `No route ${req.method} ${req.baseUrl}${req.path}`);
  });
  return api;
}
