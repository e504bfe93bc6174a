import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * URLs as logged: query strings can carry emails, signatures and verify tokens, and an
 * onboarding path is itself a credential, so neither reaches the logs.
 */
export function redactUrl(url: string): string {
  // Case-insensitive and slash-tolerant: a variant that is not routed still carries the token.
  const path = url
    .split('?')[0]!
    .replace(/^\/+onboard\/+[^/]+/i, '/onboard/[redacted]')
    .replace(/^\/+console\/+invite\/+[^/]+/i, '/console/invite/[redacted]');
  return url.includes('?') ? `${path}?[redacted]` : path;
}

/** The caller's `X-Request-Id` when sane, so logs correlate across services; else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** pino-http's line, as `requestLogging` writes it: for routes that log without pino-http. */
function logLine(logger: Logger, req: IncomingMessage, id: string, res: ServerResponse, startedAt: number) {
  const fields = {
    req: { id, method: req.method, url: redactUrl(req.url ?? '') },
    res: { statusCode: res.statusCode },
    responseTime: Date.now() - startedAt,
  };
  if (res.statusCode >= 500) {
    logger.info(
      { ...fields, err: new Error(`failed with status code ${res.statusCode}`) },
      'request errored',
    );
  } else logger.info(fields, 'request completed');
}

/**
 * The same request log line as `requestLogging`'s, for a route served on the bare Node request
 * (the send endpoint): pino-http builds a child logger per request, ~16 µs of the ~150 µs the
 * hub spends on a send itself (measured in the proxy benchmark). Returns the request id, for the caller to send as
 * `X-Request-Id`; `onFinish` runs once the answer is sent (a client gone before it is logged too).
 */
export function bareRequestLogging(logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse, onFinish: () => void): string => {
    const id = requestIdOf(req);
    (req as { id?: string }).id = id;
    const startedAt = Date.now();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      if (logger.isLevelEnabled('info')) logLine(logger, req, id, res, startedAt);
    };
    res.once('finish', () => {
      onFinish();
      done();
    });
    res.once('close', done);
    return id;
  };
}

/**
 * One log line per request, with its request id (`requestIdOf`, echoed back).
 */
export function requestLogging(logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdOf(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Probes, scrapes and the demo page's once-a-second poll would drown everything else.
    autoLogging: {
      ignore: (req) =>
        req.url === '/livez' ||
        req.url === '/readyz' ||
        req.url === '/metrics' ||
        req.url === '/demo/api/state',
    },
    // Headers are left out: they carry credentials, and the request id already correlates.
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
