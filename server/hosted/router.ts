import { readFileSync } from 'node:fs';
import { type NextFunction, type Request, type Response, Router } from 'express';
import helmet from 'helmet';
import { unavailableReason } from '../db/unavailable.ts';
import { AppError, ERROR_TABLE, errorBody, INTERNAL_ERROR_MESSAGE } from '../errors.ts';
import { knownErrorOf } from '../http/known-error.ts';
import type { Hub } from '../hub.ts';
import { failedPage } from './failed-page.ts';
import { hubRoutes } from './hub-routes.ts';
import { onboardRoutes } from './onboard-routes.ts';
import { permissionsRoutes } from './permissions-routes.ts';
import { hostedAuth } from './session.ts';
import { messagePage } from './views/layout.ts';

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
const CSS = asset('hosted.css');
const PERMISSIONS_JS = asset('permissions.js');
const BILLING_JS = asset('billing.js');
const LINKED_DEVICE_JS = asset('linked-device.js');

/** Stripe.js and the frames and calls it makes, when it does not come from the hub itself. */
function stripeSources(deps: Hub): { script: string[]; frame: string[]; connect: string[] } {
  const own = new URL(deps.config.publicUrl).origin;
  const js = new URL(deps.config.payments.jsUrl).origin;
  const api = new URL(deps.config.payments.apiUrl).origin;
  if (!deps.payments || js === own) return { script: [], frame: [], connect: [] };
  // Stripe's documented CSP for Elements and 3-D Secure.
  return { script: [js], frame: [js, 'https://hooks.stripe.com'], connect: [api] };
}

/**
 * The hosted pages. A partner usually opens them in a popup and must keep `window.opener`, so
 * these routes (only these) send `Cross-Origin-Opener-Policy: unsafe-none`; they refuse to be
 * framed (`frame-ancestors 'none'`), and partner logos may come from any https origin.
 */
export function hostedRouter(deps: Hub): Router {
  const router = Router({ caseSensitive: true });
  router.get('/hosted/assets/hosted.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('text/css').send(CSS);
  });
  router.get('/hosted/assets/permissions.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('application/javascript').send(PERMISSIONS_JS);
  });
  router.get('/hosted/assets/billing.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('application/javascript').send(BILLING_JS);
  });
  if (deps.config.linkedDevices.enabled) {
    router.get('/hosted/assets/linked-device.js', (_req, res) => {
      res.set('Cache-Control', 'public, max-age=300').type('application/javascript').send(LINKED_DEVICE_JS);
    });
  }
  const stripe = stripeSources(deps);
  // Production pages load Meta's SDK, which talks to facebook.com in frames.
  const meta = deps.meta.mode === 'production';

  const popupPaths = ['/permissions/:partner_id', '/dashboard/app/:partner_id', '/onboard/:token'];
  const hostedPaths = [...popupPaths, '/hub'];
  router.use(
    hostedPaths,
    helmet.contentSecurityPolicy({
      directives: {
        ...helmet.contentSecurityPolicy.getDefaultDirectives(),
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:', 'https:'],
        ...(meta || stripe.script.length > 0
          ? {
              'script-src': ["'self'", ...(meta ? ['https://connect.facebook.net'] : []), ...stripe.script],
              'frame-src': [
                ...(meta ? ['https://www.facebook.com', 'https://web.facebook.com'] : []),
                ...stripe.frame,
              ],
              'connect-src': [
                "'self'",
                ...(meta ? ['https://www.facebook.com', 'https://graph.facebook.com'] : []),
                ...stripe.connect,
              ],
            }
          : {}),
      },
    }),
    (_req: Request, res: Response, next: NextFunction) => {
      res.set('Cache-Control', 'no-store');
      next();
    },
  );
  router.use(popupPaths, (_req: Request, res: Response, next: NextFunction) => {
    res.set('Cross-Origin-Opener-Policy', 'unsafe-none');
    next();
  });
  const auth = hostedAuth(deps);
  router.use(hostedPaths, auth.middleware);
  router.use(permissionsRoutes(deps, auth));
  router.use(hubRoutes(deps, auth));
  router.use(onboardRoutes(deps, auth));
  router.use(hostedPaths, hostedErrorPage(deps));
  return router;
}

/** Errors on hosted pages are pages, in the partner's colours when we know the partner. */
function hostedErrorPage(deps: Hub) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let error = knownErrorOf(err, 'Some details on this page are not valid.');
    if (error?.code === 'database_unavailable') {
      deps.logger.warn({ requestId: req.id, reason: unavailableReason(err) }, 'database unavailable');
    }
    if (!error) {
      deps.logger.error({ err, requestId: req.id }, 'unhandled error on a hosted page');
      error = new AppError('internal_error', INTERNAL_ERROR_MESSAGE);
    }
    if (res.headersSent) return;
    const retryAfter = ERROR_TABLE[error.code].retryAfterSeconds;
    if (retryAfter) res.set('Retry-After', String(retryAfter));
    const title =
      error.status === 404
        ? 'Page not found'
        : error.status === 429
          ? 'Too many attempts'
          : 'Something is not right';
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(error.status).json(errorBody(error));
      return;
    }
    if (error.code === 'rate_limited')
      res.set(
        'Retry-After',
        String((error.details as { retry_after_seconds?: number })?.retry_after_seconds ?? 60),
      );
    failedPage(res, error.code).send(
      messagePage({ title, message: error.message, brand: null, role: 'alert' }),
    );
  };
}
