import { existsSync, readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import helmet from 'helmet';
import { CONSOLE_DIST } from '../../client/console/build.ts';
import { AppError } from '../errors.ts';
import { noStore } from '../http/no-store.ts';
import type { Hub } from '../hub.ts';
import { routeLabel } from '../observability/http-metrics.ts';
import { trpcMiddleware } from '../trpc/express.ts';
import { consoleContextFactory } from './context.ts';
import { consoleRouter } from './router.ts';
import { consoleSessions } from './session.ts';

/** The built page, read once; a hub started without a build says how to make one. */
function pageOf(name: string): () => string {
  let html: string | undefined;
  return () => {
    if (html !== undefined) return html;
    const path = `${CONSOLE_DIST}${name}`;
    if (!existsSync(path))
      throw new AppError('not_ready', 'The console is not built: run `npm run build:console`');
    html = readFileSync(path, 'utf8');
    return html;
  };
}

/**
 * `/console`: the React app (client/console, built by Vite) and `/console/trpc`, the partner API
 * plus the console's own procedures behind a session. The pages may not be framed and load
 * nothing from another origin except partner logos.
 */
export function consoleRoutes(deps: Hub): Router {
  const router = Router({ caseSensitive: true });
  const sessions = consoleSessions(deps);
  router.use(
    '/trpc',
    routeLabel('/console/trpc'),
    noStore,
    trpcMiddleware(deps, consoleRouter, consoleContextFactory(deps, sessions)),
  );
  router.use(
    '/assets',
    routeLabel('/console/assets'),
    // Vite names every asset by its content hash: cached for a year, never stale.
    express.static(`${CONSOLE_DIST}assets`, {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    }),
  );
  const consolePage = pageOf('index.html');
  router.get(
    ['/', '/*path'],
    routeLabel('/console/*'),
    helmet.contentSecurityPolicy({
      directives: {
        ...helmet.contentSecurityPolicy.getDefaultDirectives(),
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:', 'https:'],
      },
    }),
    (_req: Request, res: Response, next: NextFunction) => {
      try {
        res.set('Cache-Control', 'no-cache').type('html').send(consolePage());
      } catch (err) {
        next(err);
      }
    },
  );
  return router;
}
