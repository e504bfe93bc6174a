import { type RequestHandler, Router } from 'express';
import { partnerApiOperations } from '../api/operations/index.ts';
import { AppError } from '../errors.ts';
import { jsonBody } from '../http/json-body.ts';
import { noStore } from '../http/no-store.ts';
import type { Hub } from '../hub.ts';
import { lazyEntityManager } from './locals.ts';
import { mountOperations } from './mount.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { requireOwnPartnerId, requirePartner } from './partner-auth.ts';
import { buildPostmanCollection } from './postman.ts';
import { rateLimit } from './rate-limit.ts';

const PARTNER_SCOPE = '/partners/:partner_id';

/**
 * Runs `handlers` in order as one middleware layer, as Express would run them as several: a
 * throw or a rejected promise goes to `next(err)`, and so does `next(err)`. Every partner call
 * passes these six, and Express's dispatch per layer (matching, merging parameters) costs more
 * than some of them.
 */
function inOneLayer(handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (err?: unknown): void => {
      const handler = handlers[index++];
      if (err || !handler) {
        next(err);
        return;
      }
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise)
          result.catch((error: unknown) => next(error ?? new Error('Rejected promise')));
      } catch (error) {
        next(error);
      }
    };
    step();
  };
}

/** The REST API under `/api/v2`: snake_case JSON, 360dialog-compatible paths. */
export function restRouter(deps: Hub): Router {
  const api = Router({ caseSensitive: true });
  const openApi = buildOpenApiDocument(partnerApiOperations);
  api.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  const postman = buildPostmanCollection(partnerApiOperations, `${deps.config.publicUrl}/api/v2`);
  api.get('/postman.json', (_req, res) => {
    res.set('Content-Disposition', 'inline; filename="partner-hub.postman_collection.json"').json(postman);
  });

  api.use(noStore);
  api.use((_req, res, next) => {
    lazyEntityManager(res, deps);
    next();
  });

  // Authenticate, then check the path's partner, then count: a 403 never spends budget. The
  // body is read last: an unauthenticated caller is answered before it has sent one.
  const partnerScoped = Router({ mergeParams: true });
  partnerScoped.use(
    inOneLayer([requirePartner(deps), requireOwnPartnerId, rateLimit(deps), jsonBody('256kb')]),
  );
  mountOperations(partnerScoped, partnerApiOperations, deps, PARTNER_SCOPE);
  api.use(PARTNER_SCOPE, partnerScoped);

  api.use((req) => {
    throw new AppError('not_found', `No route ${req.method} ${req.baseUrl}${req.path}`);
  });
  return api;
}
