import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { HubConfig } from '../config/env.ts';
import { sameSecret } from '../crypto/same-secret.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createHttpServer } from '../process/http-server.ts';
import { type HubMetrics, UNMATCHED_ROUTE } from './metrics.ts';

const MOUNT_LABEL = Symbol('metrics route label');

interface Matched {
  base: string;
  params: Record<string, string | string[]>;
  path: string;
}

/**
 * The route pattern a request was served by, as Express matched it: the mount path and the
 * route's path, never the URL. A router mounted on a pattern (`/partners/:partner_id`) leaves
 * the values in `baseUrl`: its segments that are parameter values are put back as `:name`.
 */
function patternOf(m: Matched): string {
  let base = m.base;
  const values = Object.entries(m.params);
  if (values.length > 0 && base.length > 0) {
    base = base
      .split('/')
      .map((segment) => {
        const param = values.find(([, v]) => v === segment && segment !== '');
        return param ? `:${param[0]}` : segment;
      })
      .join('/');
  }
  const path = m.path === '/' && base !== '' ? '' : m.path;
  return base + path || '/';
}

const ROUTE = Symbol('req.route');
const MATCHED = Symbol('matched route');

type Tracked = Request & { [ROUTE]?: unknown; [MATCHED]?: Matched; [MOUNT_LABEL]?: string };

/**
 * Records the pattern when the router assigns `req.route` (then `baseUrl` still names the router
 * that matched; after an error it is restored), through one accessor on the app's request
 * prototype, Express's place for request extensions. It was an accessor defined on each request:
 * that made every request's objects outlive young-generation collections (16 MB of old space per
 * 10,000 `/livez` calls against 0.9 MB without), and old-space garbage is paid in mark-compact
 * pauses, the p99 tails of the `lists` benchmark.
 */
function recordMatchedRoutes(app: Express): void {
  Object.defineProperty(app.request, 'route', {
    configurable: true,
    enumerable: true,
    get(this: Tracked) {
      return this[ROUTE];
    },
    set(this: Tracked, value: { path?: unknown } | undefined) {
      this[ROUTE] = value;
      const path = value?.path;
      this[MATCHED] =
        typeof path === 'string' ? { base: this.baseUrl ?? '', params: this.params ?? {}, path } : undefined;
    },
  });
}

/**
 * Times every request into `partner_hub_http_request_duration_seconds` by method, route pattern
 * and status. Requests no route answered (middleware such as tRPC, or a 401 before the route)
 * get their mount's label (`routeLabel`), else `(unmatched)`.
 */
export function httpMetrics(app: Express, metrics: HubMetrics): RequestHandler {
  recordMatchedRoutes(app);
  const histogram = metrics.httpDuration;
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    res.once('finish', () => {
      const tracked = req as Tracked;
      const label = tracked[MATCHED]
        ? patternOf(tracked[MATCHED])
        : (tracked[MOUNT_LABEL] ?? UNMATCHED_ROUTE);
      histogram.observe(
        { method: req.method, route: label, status: String(res.statusCode) },
        (performance.now() - startedAt) / 1000,
      );
    });
    next();
  };
}

/** Names requests that no route of this mount answers: `label` (a constant, never from the URL). */
export function routeLabel(label: string): RequestHandler {
  return (req, _res, next) => {
    (req as Tracked)[MOUNT_LABEL] = label;
    next();
  };
}

/** Whether the request may read the metrics: with a token configured, only as `Authorization: Bearer <token>`. */
function authorized(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match !== null && sameSecret(match[1]!, token);
}

interface MetricsDeps {
  metrics: HubMetrics;
  orm: MikroORM;
  config: HubConfig;
}

/**
 * `GET /metrics` on the main app: mounted only when METRICS_TOKEN is set and METRICS_PORT is
 * not (see `config.metrics`), and then the token is required.
 */
export function metricsRoute(deps: MetricsDeps): RequestHandler {
  return async (req, res) => {
    if (!authorized(req.get('authorization'), deps.config.metrics.token)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError('unauthorized', 'The metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    const text = await deps.metrics.scrape(() => deps.orm.em.fork());
    res.set('Content-Type', deps.metrics.contentType).set('Cache-Control', 'no-store').send(text);
  };
}

export interface MetricsServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * The separate metrics listener (METRICS_PORT, on METRICS_HOST, loopback unless set): only
 * `GET /metrics`, with the bearer token when METRICS_TOKEN is set. API and worker processes
 * both start one, so each process's counters can be scraped.
 */
export async function startMetricsServer(deps: MetricsDeps, logger: Logger): Promise<MetricsServer> {
  const { port, host, token } = deps.config.metrics;
  const json = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ error: { code, message } }));
  };
  const server = createHttpServer(deps.config.http, (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return json(res, 404, 'not_found', 'Only /metrics is served here');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(res, 405, 'method_not_allowed', 'Use GET /metrics');
    if (!authorized(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return json(res, 401, 'unauthorized', 'The metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    deps.metrics
      .scrape(() => deps.orm.em.fork())
      .then(
        (text) => {
          res.writeHead(200, { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        (err: unknown) => {
          logger.error({ err }, 'could not collect the metrics');
          json(res, 500, 'internal_error', 'The metrics could not be collected');
        },
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}/metrics`;
  logger.info({ url }, 'metrics served');
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
