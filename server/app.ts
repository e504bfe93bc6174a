import type { IncomingMessage, ServerResponse } from 'node:http';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type Express } from 'express';
import helmet from 'helmet';
import proxyaddr from 'proxy-addr';
import { unavailableReason } from './db/unavailable.ts';
import { demoRoutes } from './demo/demo-routes.ts';
import { AppError, ERROR_TABLE } from './errors.ts';
import { landingRoutes } from './hosted/landing-page.ts';
import { hostedRouter } from './hosted/router.ts';
import { apiDocsRoutes } from './http/api-docs.ts';
import { clientAssetRoutes } from './http/client-assets.ts';
import { connectButtonPageRoutes } from './http/connect-button-page.ts';
import { errorHandler } from './http/error-handler.ts';
import { healthRoutes } from './http/health.ts';
import { noStore } from './http/no-store.ts';
import { requestLogging } from './http/request-logging.ts';
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
import { appRouter } from './trpc/router.ts';
import { MAX_TRPC_BATCH } from './trpc/trpc.ts';
import { wabaRouter } from './waba/router.ts';
import { isSendRequest, sendEndpoint } from './waba/send-endpoint.ts';

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

  // First, so the time covers everything after it; it labels by route pattern, never by URL.
  app.use(httpMetrics(deps.metrics));
  const logRequest = requestLogging(deps.logger);
  app.use(logRequest);
  const securityHeaders = helmet();
  app.use(securityHeaders);

  app.use(healthRoutes(deps));
  // Here only behind its token; with METRICS_PORT it has a listener of its own, and with neither it is not served.
  if (deps.config.metrics.token !== undefined && deps.config.metrics.port === undefined)
    app.get('/metrics', noStore, metricsRoute(deps));
  app.use(landingRoutes(deps));
  app.use(apiDocsRoutes());
  app.use(connectButtonPageRoutes());
  app.use(clientAssetRoutes());
  app.use('/api/v2', routeLabel('/api/v2/*'), restRouter(deps));
  app.use('/api/operator', routeLabel('/api/operator/*'), noStore, operatorRouter(deps));
  const verifier = new ChannelKeyVerifier(deps);
  app.use('/waba', routeLabel('/waba/*'), noStore, wabaRouter(deps, verifier));
  app.use(metaWebhookRoutes(deps));
  app.use(stripeWebhookRoutes(deps));
  app.use(hostedRouter(deps));
  if (deps.meta.mode === 'sandbox') {
    const warning = sandboxExposureWarning(deps.config);
    if (warning) deps.logger.warn(warning);
    app.use('/sandbox', routeLabel('/sandbox/*'), sandboxRoutes(deps));
    app.use(demoRoutes(deps));
  }
  app.use(
    '/trpc',
    routeLabel('/trpc'),
    noStore,
    createExpressMiddleware({
      router: appRouter,
      createContext: contextFactory(deps),
      maxBodySize: 256 * 1024,
      maxBatchSize: MAX_TRPC_BATCH,
      onError: ({ error, req }) => {
        if (error.cause instanceof AppError && error.cause.code === 'database_unavailable') {
          const reason = unavailableReason(error.cause.cause);
          deps.logger.warn({ requestId: req.id, reason }, 'database unavailable');
        } else if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError)) {
          deps.logger.error({ err: error.cause ?? error, requestId: req.id }, 'unhandled tRPC error');
        }
      },
      responseMeta: ({ data, info }) => {
        const headers: Record<string, string> = {};
        // tRPC sends errors about the request as a whole (batch size, content type) as text/plain.
        if (!info) headers['Content-Type'] = 'application/json';
        // A batch waits as long as its slowest call asks: Retry-After for the whole response.
        const seconds = data.map((r) =>
          'error' in r ? (ERROR_TABLE[r.error.data.error_code].retryAfterSeconds ?? 0) : 0,
        );
        const retryAfter = Math.max(0, ...seconds);
        if (retryAfter > 0) headers['Retry-After'] = String(retryAfter);
        return { headers };
      },
    }),
  );

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
      logRequest,
      setHeaders: (req, res) => {
        securityHeaders(req, res, () => {});
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Pragma', 'no-cache');
      },
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
