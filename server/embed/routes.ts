import { existsSync, readFileSync } from 'node:fs';
import { type NextFunction, type Request, type Response, Router } from 'express';
import helmet from 'helmet';
import { CONSOLE_DIST } from '../../client/console/build.ts';
import { idPattern } from '../../shared/ids.ts';
import { AppError } from '../errors.ts';
import { noStore } from '../http/no-store.ts';
import type { Hub } from '../hub.ts';
import { Partner } from '../modules/partners/partner.entity.ts';
import { routeLabel } from '../observability/http-metrics.ts';
import { trpcMiddleware } from '../trpc/express.ts';
import { embedContextFactory } from './context.ts';
import { portalFrameAncestors } from './frame-origins.ts';
import { embedRouter } from './router.ts';

const ELEMENT_JS = readFileSync(new URL('./assets/portal-element.js', import.meta.url), 'utf8');

/** The built portal page (client/console/portal.html), read once. */
function portalPage(): () => string {
  let html: string | undefined;
  return () => {
    if (html !== undefined) return html;
    const path = `${CONSOLE_DIST}portal.html`;
    if (!existsSync(path))
      throw new AppError('not_ready', 'The portal is not built: run `npm run build:console`');
    html = readFileSync(path, 'utf8');
    return html;
  };
}

/** Meta's SDK and the frames and calls it makes, on the signup popup in production. */
function metaSources(deps: Hub): Record<string, string[]> {
  if (deps.meta.mode !== 'production') return {};
  return {
    'script-src': ["'self'", 'https://connect.facebook.net'],
    'frame-src': ['https://www.facebook.com', 'https://web.facebook.com'],
    'connect-src': ["'self'", 'https://www.facebook.com', 'https://graph.facebook.com'],
  };
}

/**
 * `/embed/*`: the embeddable client portal (docs/embedding.md). `/embed/portal/:partner_id` may
 * be framed by that partner's registered origins only (the partner is in the path because the
 * token, in the fragment, never reaches the server with the page); `/embed/signup` is the
 * Embedded Signup popup the portal opens; `/embed/trpc` answers the portal's session;
 * `/embed/portal.js` defines `<partner-hub-portal>` for partners' pages.
 */
export function embedRoutes(deps: Hub): Router {
  const router = Router({ caseSensitive: true });
  const page = portalPage();
  const send = (_req: Request, res: Response, next: NextFunction) => {
    try {
      res.set('Cache-Control', 'no-store').type('html').send(page());
    } catch (err) {
      next(err);
    }
  };

  router.use(
    '/embed/trpc',
    routeLabel('/embed/trpc'),
    noStore,
    trpcMiddleware(deps, embedRouter, embedContextFactory(deps)),
  );

  router.get('/embed/portal.js', routeLabel('/embed/portal.js'), (_req, res) => {
    res
      .set({ 'Cross-Origin-Resource-Policy': 'cross-origin', 'Cache-Control': 'public, max-age=300' })
      .type('application/javascript')
      .send(ELEMENT_JS);
  });

  router.get(
    '/embed/portal/:partner_id',
    routeLabel('/embed/portal/:partner_id'),
    async (req: Request, res: Response, next: NextFunction) => {
      const id = String(req.params.partner_id);
      const partner = idPattern('partner').test(id)
        ? await deps.orm.em.fork().findOne(Partner, { id })
        : null;
      // Unknown partners get the hub's usual 'none' (helmet's default below is replaced only here).
      res.locals.frameAncestors = partner ? portalFrameAncestors(partner).join(' ') : "'none'";
      if (!partner) return next(new AppError('not_found', 'No such portal: check the link you were given'));
      // Browsers ignore X-Frame-Options next to frame-ancestors, but older ones obey it alone.
      res.removeHeader('X-Frame-Options');
      next();
    },
    helmet.contentSecurityPolicy({
      directives: {
        ...helmet.contentSecurityPolicy.getDefaultDirectives(),
        'frame-ancestors': [(_req, res) => (res as Response).locals.frameAncestors as string],
        'img-src': ["'self'", 'data:', 'https:'],
      },
    }),
    send,
  );

  router.get(
    '/embed/signup',
    routeLabel('/embed/signup'),
    helmet.contentSecurityPolicy({
      directives: {
        ...helmet.contentSecurityPolicy.getDefaultDirectives(),
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:', 'https:'],
        ...metaSources(deps),
      },
    }),
    (_req: Request, res: Response, next: NextFunction) => {
      // The portal that opens this popup is framed on the partner's origin: a stricter policy
      // would cut the popup off from it (and so from handing back what Embedded Signup returned).
      res.set('Cross-Origin-Opener-Policy', 'unsafe-none');
      next();
    },
    send,
  );
  return router;
}
