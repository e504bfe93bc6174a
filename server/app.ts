import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import helmet from 'helmet';
import proxyaddr from 'proxy-addr';
import { consoleRoutes } from './console/routes.ts';
import { demoRoutes } from './demo/demo-routes.ts';
import { embedRoutes } from './embed/routes.ts';
import { AppError } from './errors.ts';
import { landingRoutes } from './hosted/landing-page.ts';
import { hostedRouter } from './hosted/router.ts';
import { apiDocsRoutes } from './http/api-docs.ts';
import { clientAssetRoutes } from './http/client-assets.ts';
import { connectButtonPageRoutes } from './http/connect-button-page.ts';
import { errorHandler } from './http/error-handler.ts';
import { healthRoutes } from './http/health.ts';
import { noStore } from './http/no-store.ts';
import { bareRequestLogging, requestLogging } from './http/request-logging.ts';
import { headersSetBy } from './http/static-headers.ts';
import type { Hub } from './hub.ts';
import { metaWebhookRoutes } from './inbound/meta-webhook.ts';
import { stripeWebhookRoutes } from './inbound/stripe-webhook.ts';
import { sandboxExposureWarning } from './meta/sandbox-exposure.ts';
import { ChannelKeyVerifier } from './modules/messaging/channel-key-verifier.ts';
import { httpMetrics, metricsRoute, routeLabel } from './observability/http-metrics.ts';
import { operatorRouter } from './operator/router.ts';
import { restRouter } from './rest/router.ts';
import { sandboxRoutes } from './sandbox/routes.ts';
import { contextFactory } from './trpc/context.ts';
import { trpcMiddleware } from './trpc/express.ts';
import { appRouter } from './trpc/router.ts';
import { wabaRouter } from './waba/router.ts';
import { isSendRequest, sendEndpoint } from './waba/send-endpoint.ts';
import { whathooksRouter } from './whathooks/router.ts';

export { redactUrl } from './http/request-logging.ts';

/** Builds the HTTP app without listening, so tests drive it with supertest. */
export function createApp(deps: Hub): Express {
  const app = express();
  app.disable('x-powered-by');
  // One spelling per route: `/Onboard/…` must not reach a handler that the log redaction, the
  // CSP rules and the docs know as `/onboard/…`. Routers opt in too (`Router({ caseSensitive })`).
  app.set('case sensitive routing', true);
  // Behind a TLS-terminating proxy, secure session cookies and client IPs need its X-Forwarded-* headers.
  app.set('trust proxy', deps.config.trustProxy);
  // No ETags on dynamic answers: the APIs' are no-store and the hosted pages carry per-request
  // CSRF tokens, so none would ever match; hashing each body cost 2.6 % of an authenticated
  // GET's CPU. Static assets keep theirs (serve-static's own).
  app.set('etag', false);

  // First, so the time covers everything after it; it labels by route pattern, never by URL.
  app.use(httpMetrics(app, deps.metrics));
  const logRequest = requestLogging(deps.logger);
  app.use(logRequest);
  // No page is framed by another site unless it says so (/embed/portal, docs/embedding.md).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: { ...helmet.contentSecurityPolicy.getDefaultDirectives(), 'frame-ancestors': ["'none'"] },
    },
  });
  app.use(securityHeaders);

  app.use(healthRoutes(deps));
  // Here only behind its token; with METRICS_PORT it has a listener of its own, and with neither it is not served.
  if (deps.config.metrics.token !== undefined && deps.config.metrics.port === undefined)
    app.get('/metrics', noStore, metricsRoute(deps));
  // The APIs before the pages: Express tries every layer in order, and each page router mounted
  // at `/` costs an API call its matching (10 % of an authenticated GET's CPU was the router's).
  app.use('/api/v2', routeLabel('/api/v2/*'), restRouter(deps));
  app.use('/api/operator', routeLabel('/api/operator/*'), noStore, operatorRouter(deps));
  const verifier = new ChannelKeyVerifier(deps);
  app.use('/waba', routeLabel('/waba/*'), noStore, wabaRouter(deps, verifier));
  // whathooks' API for apps moving over; with linked devices off, /v1 does not exist (404).
  if (deps.config.linkedDevices.enabled)
    app.use('/v1', routeLabel('/v1/*'), noStore, whathooksRouter(deps, verifier));
  app.use('/trpc', routeLabel('/trpc'), noStore, trpcMiddleware(deps, appRouter, contextFactory(deps)));
  app.use(landingRoutes(deps));
  app.use(apiDocsRoutes({ whathooks: deps.config.linkedDevices.enabled }));
  app.use(connectButtonPageRoutes());
  app.use(clientAssetRoutes());
  app.use(metaWebhookRoutes(deps));
  app.use(stripeWebhookRoutes(deps));
  app.use(hostedRouter(deps));
  if (deps.meta.mode === 'sandbox') {
    const warning = sandboxExposureWarning(deps.config);
    if (warning) deps.logger.warn(warning);
    app.use('/sandbox', routeLabel('/sandbox/*'), sandboxRoutes(deps));
    app.use(demoRoutes(deps));
  }
  app.use('/console', consoleRoutes(deps));
  app.use(embedRoutes(deps));

  // Browsers ask for it on every page; an empty answer keeps 404s in logs meaningful.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).set('Cache-Control', 'public, max-age=86400').end();
  });

  app.use((req) => {
    throw new AppError('not_found', `No route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(deps.logger));
  serveBeforeExpress(
    app,
    isSendRequest,
    sendEndpoint(deps, verifier, {
      logRequest: bareRequestLogging(deps.logger),
      headers: headersSetBy(securityHeaders, noStore),
      ipOf: (req) => proxyaddr(req, app.get('trust proxy fn')),
    }),
  );
  return app;
}

/**
 * Hands the requests `matches` picks to `listener` before Express sees them. Wrapping the app's
 * own entry point (an Express app is a function calling `app.handle`) keeps every way of
 * serving the app on it (the server, supertest, the test hubs).
 */
function serveBeforeExpress(
  app: Express,
  matches: (req: IncomingMessage) => boolean,
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  type Handle = (req: IncomingMessage, res: ServerResponse, next?: unknown) => void;
  const entry = app as unknown as { handle: Handle };
  const handle = entry.handle.bind(app);
  entry.handle = (req, res, next) => (matches(req) ? listener(req, res) : handle(req, res, next));
}
